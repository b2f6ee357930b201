// GET /api/v1/events/{id}/context?before=20&after=20&by=host|unit|container|log
//   → {"event":{...},"by":"host","value":"web-1","before":[...oldest first],"after":[...oldest first]}
// The entries just before and after one entry in the same log, from the same host (by default), unit
// or container (CONTAINER_NAME) — or anything in the log (by=log): what was going on around it.
// Loki's "show context", VictoriaLogs' stream_context. 404 LH_ERR_NOT_FOUND for an unknown id.
import type { FastifyInstance } from "fastify";
import type { EventContextJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import { FIELD_CONTAINER_NAME, FIELD_HOSTNAME, FIELD_SYSTEMD_UNIT } from "../../core/journal/fields.js";
import type { Predicate, Store, StoredEvent } from "../storage/store.js";
import { eventJson } from "./events.js";
import { intParam } from "./query-params.js";

export const CONTEXT_BY = ["host", "unit", "container", "log"] as const;
export type ContextBy = (typeof CONTEXT_BY)[number];
export const MAX_CONTEXT = 1000;

/** The value the context shares with the entry (a host name...), or undefined when the entry has none. */
function sharedValue(e: StoredEvent, by: ContextBy): string | undefined {
  if (by === "host") return e.host ?? undefined;
  if (by === "unit") return e.unit ?? undefined;
  if (by === "container") {
    const c = e.fields[FIELD_CONTAINER_NAME];
    return typeof c === "string" ? c : undefined;
  }
  return e.logName;
}

const FIELD_OF: Record<Exclude<ContextBy, "log">, string> = { host: FIELD_HOSTNAME, unit: FIELD_SYSTEMD_UNIT, container: FIELD_CONTAINER_NAME };

export function eventContext(store: Store, id: number, by: ContextBy, before: number, after: number): EventContextJson {
  const e = store.eventById(id);
  if (!e) throw new LogharborError("LH_ERR_NOT_FOUND", `event ${id}: no stored event has this id (ids are in \`logharbor query --json\` and the page's details)`, { status: 404 });
  const value = sharedValue(e, by);
  if (value === undefined) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `by: event ${id} has no ${by}; use by=${CONTEXT_BY.filter((b) => b !== by && sharedValue(e, b) !== undefined).join(" or by=")}`);
  }
  const where: Predicate | undefined = by === "log" ? undefined : { kind: "field", field: FIELD_OF[by], op: "=", value };
  const around = (order: "asc" | "desc", limit: number): StoredEvent[] =>
    limit === 0
      ? []
      : store.search({
          logIds: [e.logId], fromUs: order === "asc" ? e.tsUs : 0, toUs: order === "asc" ? Number.MAX_SAFE_INTEGER : e.tsUs + 1,
          limit, order, after: store.positionOf(e), ...(where ? { where } : {}),
        }).events;
  return {
    event: eventJson(e), by, value,
    before: around("desc", before).reverse().map(eventJson),
    after: around("asc", after).map(eventJson),
  };
}

export function registerContextRoute(app: FastifyInstance, store: Store): void {
  app.get("/api/v1/events/:id/context", async (req) => {
    const q = req.query as Record<string, unknown>;
    const raw = (req.params as { id: string }).id;
    if (!/^\d{1,16}$/.test(raw)) throw new LogharborError("LH_ERR_QUERY_PARAM", `id: expected an event id (a positive integer), got "${raw.slice(0, 40)}"`);
    const by = (q["by"] ?? "host") as string;
    if (!(CONTEXT_BY as readonly string[]).includes(by)) {
      throw new LogharborError("LH_ERR_QUERY_PARAM", `by: expected ${CONTEXT_BY.join(", ")}, got ${JSON.stringify(by)}`);
    }
    const n = intParam(q["n"], "n", 20, 0, MAX_CONTEXT);
    return eventContext(store, Number(raw), by as ContextBy, intParam(q["before"], "before", n, 0, MAX_CONTEXT), intParam(q["after"], "after", n, 0, MAX_CONTEXT));
  });
}
