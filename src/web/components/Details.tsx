// One event, every field: columns, journal fields, fields parsed from the message, regex extractions.
// Clicking a value adds `field = value` to the query. A JSON message is shown pretty-printed (raw on
// request). "Context" shows the entries just before and after it from the same host, unit, container
// or log (GET /api/v1/events/{id}/context). Esc closes. On a phone it is a full-screen sheet.
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import type { EventContextJson } from "../../core/api-json.js";
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

/** The message pretty-printed when it is a JSON object or array, else undefined. */
function prettyJson(m: string): string | undefined {
  const t = m.trim();
  if (!(t.startsWith("{") && t.endsWith("}")) && !(t.startsWith("[") && t.endsWith("]"))) return undefined;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return undefined;
  }
}

const CONTEXT_N = 10;

function Context(p: { event: QueryEventJson }) {
  const e = p.event;
  const container = typeof e.fields["CONTAINER_NAME"] === "string";
  const choices: api.ContextBy[] = ["host", "unit", ...(container ? (["container"] as const) : []), "log"];
  const [by, setBy] = useState<api.ContextBy | undefined>();
  const [ctx, setCtx] = useState<EventContextJson | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setCtx(undefined);
    setError(undefined);
    if (!by) return;
    let live = true;
    api.eventContext(e.id, by, CONTEXT_N).then((c) => live && setCtx(c), (err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [e.id, by]);
  const line = (x: EventContextJson["event"], self = false) => (
    <li class={`ctx-line ${priorityClassOf(x.priority)}${self ? " self" : ""}`} data-id={x.id}>
      <span class="ctx-ts">{formatTs(x.ts_us / 1000).slice(11)}</span> <span class="ctx-msg">{x.message}</span>
    </li>
  );
  return (
    <section class="context">
      <h3>Context</h3>
      <div class="ctx-by">
        {choices.map((c) => (
          <button type="button" class={`btn small${by === c ? " on" : ""}`} aria-pressed={by === c} onClick={() => setBy(by === c ? undefined : c)}>
            same {c}
          </button>
        ))}
      </div>
      {error && <div class="error">{error}</div>}
      {ctx && (
        <ol class="ctx-list" aria-label={`entries around #${e.id} on the same ${ctx.by}`}>
          {ctx.before.map((x) => line(x))}
          {line(ctx.event, true)}
          {ctx.after.map((x) => line(x))}
        </ol>
      )}
    </section>
  );
}

function priorityClassOf(pr: number | null): string {
  return pr === null ? "p-none" : `p${Math.max(0, Math.min(7, pr))}`;
}

export function Details(p: Props) {
  const e = p.event;
  const pretty = prettyJson(e.message);
  const [raw, setRaw] = useState(false);
  // A layout effect: the Esc listener is in place as soon as the panel is on screen (a plain
  // effect attaches it a frame later, and an Esc pressed in between was lost).
  useLayoutEffect(() => {
    const onKey = (k: KeyboardEvent) => {
      if (k.key === "Escape") p.onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [p.onClose]);
  const columns: Record<string, unknown> = {
    log: e.log, host: e.host, unit: e.unit, priority: e.priority,
    container: e.fields["CONTAINER_NAME"] ?? null, IMAGE_NAME: e.fields["IMAGE_NAME"] ?? null,
  };
  for (const k of Object.keys(columns)) if (columns[k] === null || columns[k] === undefined) delete columns[k];
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
      <pre class="d-message">{pretty && !raw ? pretty : e.message}</pre>
      {pretty && (
        <button type="button" class="btn small" onClick={() => setRaw(!raw)}>
          {raw ? "Pretty JSON" : "Raw message"}
        </button>
      )}
      <Context event={e} />
      <Section title="Event" values={columns} onAdd={p.onAddCondition} />
      {e.extracted && <Section title="Extracted by the query" values={e.extracted} onAdd={p.onAddCondition} />}
      {e.parsed && <Section title="Parsed from the message" values={e.parsed} onAdd={p.onAddCondition} />}
      <Section title="Journal fields" values={e.fields} onAdd={p.onAddCondition} />
    </aside>
  );
}
