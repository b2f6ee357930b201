// The fields of the entries listed, each with its most frequent values and how many of the listed
// entries have it: click a value to keep only it (`field = value`), − to leave it out (`field != value`).
// Grafana Explore's and Graylog's quick values. Computed on the page from the entries listed.
import { useMemo } from "preact/hooks";
import type { QueryEventJson } from "../../core/api-json.js";
import { PRIORITY_NAMES } from "./ResultList.js";

const TOP = 5;
const MAX_FIELDS = 14;
/** Shown first when present; then the parsed fields by how many entries have them. */
const FIRST = ["host", "unit", "priority", "container", "log"];

interface Props {
  events: QueryEventJson[];
  onFilter(field: string, value: string | number, op: "=" | "!="): void;
}

function valuesOf(e: QueryEventJson): Array<[string, string | number]> {
  const out: Array<[string, string | number]> = [];
  if (e.host !== null) out.push(["host", e.host]);
  if (e.unit !== null) out.push(["unit", e.unit]);
  if (e.priority !== null) out.push(["priority", e.priority]);
  const c = e.fields["CONTAINER_NAME"];
  if (typeof c === "string") out.push(["container", c]);
  out.push(["log", e.log]);
  if (e.parsed) for (const [k, v] of Object.entries(e.parsed)) if (typeof v === "string" || typeof v === "number") out.push([k, v]);
  return out;
}

export function FieldSidebar(p: Props) {
  const fields = useMemo(() => {
    const by = new Map<string, { count: number; values: Map<string | number, number> }>();
    for (const e of p.events) {
      for (const [k, v] of valuesOf(e)) {
        let f = by.get(k);
        if (!f) by.set(k, (f = { count: 0, values: new Map() }));
        f.count++;
        f.values.set(v, (f.values.get(v) ?? 0) + 1);
      }
    }
    const rank = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
    return [...by.entries()]
      // A field whose every value differs (an id, a time) says nothing at a glance.
      .filter(([k, f]) => FIRST.includes(k) || f.values.size < Math.max(2, f.count * 0.8))
      .sort((a, b) => rank(a[0]) - rank(b[0]) || b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_FIELDS)
      .map(([name, f]) => ({ name, count: f.count, top: [...f.values.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP) }));
  }, [p.events]);
  if (p.events.length === 0) return null;
  return (
    <aside class="field-sidebar" aria-label="fields of the listed entries">
      <div class="fs-head">Fields of the {p.events.length.toLocaleString()} listed</div>
      {fields.map((f) => (
        <section class="fs-field" data-field={f.name}>
          <div class="fs-name">
            {f.name} <span class="muted">{Math.round((f.count / p.events.length) * 100)}%</span>
          </div>
          {f.top.map(([v, n]) => (
            <div class="fs-value">
              <button type="button" class="fs-in" title={`only ${f.name} = ${v}`} data-value={String(v)} onClick={() => p.onFilter(f.name, v, "=")}>
                <span class="fs-bar" style={{ width: `${Math.round((n / f.count) * 100)}%` }} />
                <span class="fs-label">{f.name === "priority" && typeof v === "number" ? PRIORITY_NAMES[v] ?? v : String(v)}</span>
                <span class="fs-count">{n}</span>
              </button>
              <button type="button" class="fs-out" title={`leave out ${f.name} = ${v}`} aria-label={`leave out ${f.name} = ${v}`} onClick={() => p.onFilter(f.name, v, "!=")}>−</button>
            </div>
          ))}
        </section>
      ))}
    </aside>
  );
}
