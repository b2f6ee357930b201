// The time range: presets (last 15 min / 1 h / 24 h / 7 d / all) or a custom from-to; kept in the URL.
import { useState } from "preact/hooks";
import { PRESETS, describeRange, resolveTime, toLocalInput } from "../state.js";

interface Props {
  from: string;
  to: string;
  onChange(from: string, to: string): void;
}

export function TimeRange(p: Props) {
  const [open, setOpen] = useState(false);
  const now = Date.now();
  const [cf, setCf] = useState("");
  const [ct, setCt] = useState("");
  const openMenu = () => {
    setCf(toLocalInput(resolveTime(p.from, now) ?? now - 3_600_000));
    setCt(toLocalInput(resolveTime(p.to, now) ?? now));
    setOpen(!open);
  };
  return (
    <div class="timerange">
      <button type="button" class="btn range-btn" aria-haspopup="true" aria-expanded={open} onClick={openMenu} title="time range">
        {describeRange(p.from, p.to)}
      </button>
      {open && (
        <div class="menu range-menu" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {PRESETS.map((r) => (
            <button
              type="button"
              class={`menu-item${r.from === p.from && p.to === "now" ? " selected" : ""}`}
              onClick={() => {
                setOpen(false);
                p.onChange(r.from, "now");
              }}
            >
              {r.label}
            </button>
          ))}
          <form
            class="custom-range"
            onSubmit={(e) => {
              e.preventDefault();
              const f = Date.parse(cf);
              const t = Date.parse(ct);
              if (Number.isNaN(f) || Number.isNaN(t) || f >= t) return;
              setOpen(false);
              p.onChange(String(f), String(t));
            }}
          >
            <label>
              From <input type="datetime-local" value={cf} onInput={(e) => setCf(e.currentTarget.value)} />
            </label>
            <label>
              To <input type="datetime-local" value={ct} onInput={(e) => setCt(e.currentTarget.value)} />
            </label>
            <button type="submit" class="btn">Apply</button>
          </form>
        </div>
      )}
    </div>
  );
}
