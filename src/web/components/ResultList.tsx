// The results: a dense, virtualised list (only the rows in view are in the DOM, so tens of
// thousands scroll smoothly). Fixed row height; details open in a side panel.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import { formatTs } from "../state.js";
import type { QueryEventJson } from "../../core/api-json.js";

export const ROW_HEIGHT = 24;
const OVERSCAN = 12;
export const PRIORITY_NAMES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

interface Props {
  events: QueryEventJson[];
  selected: number | undefined;
  onSelect(e: QueryEventJson): void;
  /** Called when the end of the list comes into view (load the next page). */
  onEnd?: (() => void) | undefined;
  /** Bumped to scroll back to the top (a new search). */
  resetKey: number;
  /** Words and phrases to highlight in the messages. */
  terms?: string[];
}

/** The text with every match of `re` in a <mark>. */
export function highlighted(text: string, re: RegExp | undefined): ComponentChildren {
  if (!re) return text;
  const out: ComponentChildren[] = [];
  let at = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m && out.length < 200; m = re.exec(text)) {
    if (m[0] === "") break;
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(<mark class="hl">{m[0]}</mark>);
    at = m.index + m[0].length;
  }
  if (out.length === 0) return text;
  out.push(text.slice(at));
  return out;
}

export function termsRegex(terms: string[] | undefined): RegExp | undefined {
  if (!terms || terms.length === 0) return undefined;
  return new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi");
}

export function priorityClass(p: number | null): string {
  return p === null ? "p-none" : `p${Math.max(0, Math.min(7, p))}`;
}

export function ResultList(p: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setScrollTop(0);
  }, [p.resetKey]);

  const re = useMemo(() => termsRegex(p.terms), [(p.terms ?? []).join("\u0000")]);
  const n = p.events.length;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(n, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (p.onEnd && n > 0 && last >= n - 1) p.onEnd();
  }, [last, n]);

  const rows = [];
  for (let i = first; i < last; i++) {
    const e = p.events[i]!;
    rows.push(
      <div
        key={e.id}
        class={`row ${priorityClass(e.priority)}${p.selected === e.id ? " selected" : ""}`}
        style={{ top: `${i * ROW_HEIGHT}px` }}
        role="row"
        data-id={e.id}
        onClick={() => p.onSelect(e)}
      >
        <span class="c-ts" title={e.ts}><span class="c-date">{formatTs(e.ts_us / 1000).slice(0, 11)}</span>{formatTs(e.ts_us / 1000).slice(11)}</span>
        <span class="c-prio" title={e.priority === null ? "" : `priority ${e.priority}`}>{e.priority === null ? "" : PRIORITY_NAMES[e.priority] ?? e.priority}</span>
        <span class="c-host">{e.host ?? ""}</span>
        {typeof e.fields["CONTAINER_NAME"] === "string" ? (
          <span class="c-unit c-container" title={`container ${e.fields["CONTAINER_NAME"]} (${e.unit ?? "no unit"})`}>▣ {e.fields["CONTAINER_NAME"]}</span>
        ) : (
          <span class="c-unit">{e.unit ?? ""}</span>
        )}
        <span class="c-msg">{highlighted(e.message.length > 400 ? e.message.slice(0, 400) + "…" : e.message, re)}</span>
      </div>,
    );
  }
  return (
    <div class="results" ref={box} role="grid" aria-rowcount={n} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div class="results-spacer" style={{ height: `${n * ROW_HEIGHT}px` }}>
        {rows}
      </div>
    </div>
  );
}
