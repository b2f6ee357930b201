// GET /api/v1/events?q=&from=&to=&log=NAME[,NAME]&limit=&order=desc|asc&after=
//   → {"events":[{id,log,ts,ts_us,host,unit,priority,message,fields}],"next_page"?}
// Newest first unless order=asc. q's where() part is planned by the query planner.
import type { FastifyInstance } from "fastify";
import { LogharborError } from "../../core/errors.js";
import { formatIsoUs, parseTimeUs } from "../../core/time.js";
import { planQuery } from "../query/plan.js";
import { applyLogField } from "./log-field.js";
import type { EventSearch, Store, StoredEvent } from "../storage/store.js";
import type { QueryRunner } from "./query-runner.js";
import { checkedRange } from "./query-params.js";
import { registerContextRoute } from "./context.js";
import type { EventJson } from "../../core/api-json.js";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export function eventJson(e: StoredEvent): EventJson {
  return {
    id: e.id, log: e.logName, ts: formatIsoUs(e.tsUs), ts_us: e.tsUs, host: e.host, unit: e.unit,
    priority: e.priority, message: e.message, fields: e.fields,
  };
}

type Query = Record<string, string | string[] | undefined>;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new LogharborError("LH_ERR_QUERY_PARAM", `${name}: expected one value, got ${v.length}`);
  return v === undefined || v === "" ? undefined : v;
}

/** Turns the query string into a search; throws LogharborError naming the bad parameter. */
export function searchFromQuery(store: Store, q: Query): EventSearch {
  const text = one(q, "q");
  const from = one(q, "from");
  const to = one(q, "to");
  const fromUs = from === undefined ? 0 : parseTimeUs(from, { label: "from" });
  const toUs = to === undefined ? Number.MAX_SAFE_INTEGER : parseTimeUs(to, { label: "to" });
  checkedRange(fromUs, toUs);
  const limitText = one(q, "limit");
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? "1") || limit < 1 || limit > MAX_LIMIT) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `limit: expected an integer from 1 to ${MAX_LIMIT}, got "${limitText}"`);
  }
  const order = one(q, "order") ?? "desc";
  if (order !== "asc" && order !== "desc") {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `order: expected asc or desc, got "${order}"`);
  }
  const logIds: string[] = [];
  for (const name of (one(q, "log") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const log = store.logByName(name);
    if (!log) throw new LogharborError("LH_ERR_LOG_NOT_FOUND", `log: no log named "${name}"; \`logharbor logs list\` shows the logs`, { status: 404 });
    logIds.push(log.id);
  }
  const after = one(q, "after");
  const lifted = text === undefined ? { plan: undefined, logIds } : applyLogField(store, planQuery(text), logIds);
  const where = lifted.plan?.where;
  return { logIds: lifted.logIds, fromUs, toUs, limit, order, ...(where ? { where } : {}), ...(after ? { after } : {}) };
}

export function registerEventRoutes(app: FastifyInstance, store: Store, queries: QueryRunner): void {
  registerContextRoute(app, store);
  app.get("/api/v1/events", async (req) => {
    const page = await queries.search(searchFromQuery(store, req.query as Query));
    return page.nextPage === undefined
      ? { events: page.events.map(eventJson) }
      : { events: page.events.map(eventJson), next_page: page.nextPage };
  });
}
