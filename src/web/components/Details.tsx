// One event, every field: columns, journal fields, fields parsed from the message, regex extractions.
// Clicking a value adds `field = value` to the query. Esc closes.
import { useLayoutEffect } from "preact/hooks";
import { formatTs } from "../state.js";
import type { QueryEventJson } from "../../core/api-json.js";
import { PRIORITY_NAMES } from "./ResultList.js";

interface Props {
  event: QueryEventJson;
  onClose(): void;
  onAddCondition(field: string, value: string | number): void;
}

function show(v: unknown): string {
  if (typeof v === "string") return v;
  if (v !== null && typeof v === "object" && "base64" in (v as object)) return `(binary, base64) ${(v as { base64: string }).base64}`;
  return JSON.stringify(v);
}

function Section(p: { title: string; values: Record<string, unknown>; onAdd: Props["onAddCondition"] }) {
  const keys = Object.keys(p.values).sort();
  if (keys.length === 0) return null;
  return (
    <section>
      <h3>{p.title}</h3>
      <table class="fields">
        <tbody>
          {keys.map((k) => {
            const v = p.values[k];
            const values = Array.isArray(v) ? v : [v];
            return (
              <tr>
                <th>{k}</th>
                <td>
                  {values.map((x) =>
                    typeof x === "string" || typeof x === "number" ? (
                      <button type="button" class="value" title={`add ${k} = … to the query`} data-field={k} onClick={() => p.onAdd(k, x)}>
                        {String(x)}
                      </button>
                    ) : (
                      <span class="value binary">{show(x)}</span>
                    ),
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function Details(p: Props) {
  const e = p.event;
  // A layout effect: the Esc listener is in place as soon as the panel is on screen (a plain
  // effect attaches it a frame later, and an Esc pressed in between was lost).
  useLayoutEffect(() => {
    const onKey = (k: KeyboardEvent) => {
      if (k.key === "Escape") p.onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [p.onClose]);
  const columns: Record<string, unknown> = { log: e.log, host: e.host, unit: e.unit, priority: e.priority };
  for (const k of Object.keys(columns)) if (columns[k] === null) delete columns[k];
  return (
    <aside class="details" aria-label="event details">
      <header>
        <span class={`badge p${e.priority ?? "-none"}`}>{e.priority === null ? "—" : PRIORITY_NAMES[e.priority]}</span>
        <span class="d-ts">{formatTs(e.ts_us / 1000)}</span>
        <span class="d-id">#{e.id}</span>
        <button type="button" class="btn icon" aria-label="close details (Esc)" title="close (Esc)" onClick={p.onClose}>
          ✕
        </button>
      </header>
      <pre class="d-message">{e.message}</pre>
      <Section title="Event" values={columns} onAdd={p.onAddCondition} />
      {e.extracted && <Section title="Extracted by the query" values={e.extracted} onAdd={p.onAddCondition} />}
      {e.parsed && <Section title="Parsed from the message" values={e.parsed} onAdd={p.onAddCondition} />}
      <Section title="Journal fields" values={e.fields} onAdd={p.onAddCondition} />
    </aside>
  );
}
