// Field names and values for autocompletion, from a sample of the newest events (cheap: one
// indexed read of at most `sample` rows).
// GET /api/v1/fields?log=&from=&to=&sample=1000
//   → {"fields":[{"name","alias"?,"source":"journal"|"message"|"column","count"}],"sampled":N}
// GET /api/v1/fields/{name}/values?log=&from=&to=&sample=1000&limit=20
//   → {"field","values":[{"value","count"}],"sampled":N}
import type { FastifyInstance } from "fastify";
import { FIELD_ALIASES } from "../../core/journal/fields.js";
import { fieldValues } from "../query/match.js";
import type { Store, StoredEvent } from "../storage/store.js";
import { ALL_TIME, intParam, logIdsOf, timeParam } from "./query-params.js";

export const DEFAULT_SAMPLE = 1000;
const ALIAS_OF: Record<string, string> = {};
for (const [alias, name] of Object.entries(FIELD_ALIASES)) ALIAS_OF[name] ??= alias;

function sample(store: Store, q: Record<string, unknown>): StoredEvent[] {
  return store.search({
    logIds: logIdsOf(store, q["log"]),
    fromUs: timeParam(q["from"], "from", ALL_TIME.fromUs),
    toUs: timeParam(q["to"], "to", ALL_TIME.toUs),
    limit: intParam(q["sample"], "sample", DEFAULT_SAMPLE, 1, 10_000),
    order: "desc",
  }).events;
}

function isBinary(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function registerFieldRoutes(app: FastifyInstance, store: Store): void {
  app.get("/api/v1/fields", async (req) => {
    const events = sample(store, req.query as Record<string, unknown>);
    const counts = new Map<string, { source: string; count: number }>();
    const see = (name: string, source: string) => {
      const c = counts.get(name);
      if (c) c.count++;
      else counts.set(name, { source, count: 1 });
    };
    for (const e of events) {
      for (const [k, v] of Object.entries(e.fields)) if (!isBinary(v)) see(k, "journal");
      if (e.parsed) for (const k of Object.keys(e.parsed)) see(k, "message");
    }
    const fields = [...counts.entries()]
      .map(([name, c]) => ({ name, ...(ALIAS_OF[name] ? { alias: ALIAS_OF[name] } : {}), source: c.source, count: c.count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
    return { fields, sampled: events.length };
  });

  app.get("/api/v1/fields/:name/values", async (req) => {
    const q = req.query as Record<string, unknown>;
    const written = (req.params as { name: string }).name;
    const name = FIELD_ALIASES[written] ?? written;
    const limit = intParam(q["limit"], "limit", 20, 1, 1000);
    const events = sample(store, q);
    const counts = new Map<string, { value: string | number; count: number }>();
    for (const e of events) {
      for (const v of new Set(fieldValues(e, name))) {
        const key = String(v);
        const c = counts.get(key);
        if (c) c.count++;
        else counts.set(key, { value: v, count: 1 });
      }
    }
    const values = [...counts.values()].sort((a, b) => b.count - a.count || (String(a.value) < String(b.value) ? -1 : 1)).slice(0, limit);
    return { field: written, values, sampled: events.length };
  });
}
