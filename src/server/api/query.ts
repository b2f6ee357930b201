// GET|POST /api/v1/query: an LEQL query over logs and a time range, answering events (paginated)
// or statistics. Parameters (query string for GET, JSON body for POST): q (or query), from, to,
// log (names or ids, comma-separated or a list), limit (events per page), after (next_page of the
// previous answer), order (asc|desc, events without sort()), budget_ms (at most the server's).
import type { FastifyInstance } from "fastify";
import { performance } from "node:perf_hooks";
import { LogharborError } from "../../core/errors.js";
import { format } from "../query/format.js";
import { planQuery } from "../query/plan.js";
import { DEFAULT_QUERY_BUDGET_MS, executeQuery, type QueryResult } from "../query/execute/index.js";
import type { Store } from "../storage/store.js";
import type { QueryRunner } from "./query-runner.js";
import { applyLogField } from "./log-field.js";
import { missingFieldNotice } from "./missing-fields.js";
import { queryResultJson } from "./query-json.js";
import { ALL_TIME, checkedRange, intParam, logIdsOf, stringParam, timeParam } from "./query-params.js";

export const MAX_EVENT_PAGE = 10_000;

export interface QueryRoutesOptions {
  /** Runs the queries (query threads in the server). */
  queries: QueryRunner;
  /** The longest a query may run before answering partially (default 10 s). */
  budgetMs?: number;
}

export interface RunQueryInput {
  q?: unknown;
  query?: unknown;
  from?: unknown;
  to?: unknown;
  log?: unknown;
  limit?: unknown;
  after?: unknown;
  order?: unknown;
  budget_ms?: unknown;
}

export interface RanQuery {
  result: QueryResult;
  /** Why an empty answer is empty, when a compared field is missing (missing-fields.ts). */
  notice?: string;
  canonical: string;
  elapsedMs: number;
}

/** Validates the parameters and runs the query. Throws LogharborError naming the bad parameter. */
export function runQuery(store: Store, input: RunQueryInput, maxBudgetMs: number, logIds?: string[]): RanQuery {
  const text = stringParam(input.q, "q") ?? stringParam(input.query, "query") ?? "";
  const lifted = applyLogField(store, planQuery(text), logIds ?? logIdsOf(store, input.log));
  const plan = lifted.plan;
  const order = stringParam(input.order, "order");
  if (order !== undefined && order !== "asc" && order !== "desc") {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `order: expected asc or desc, got "${order}"`);
  }
  const after = stringParam(input.after, "after");
  const limit = input.limit === undefined || input.limit === "" ? undefined : intParam(input.limit, "limit", 100, 1, MAX_EVENT_PAGE);
  const start = performance.now();
  const range = checkedRange(timeParam(input.from, "from", ALL_TIME.fromUs), timeParam(input.to, "to", ALL_TIME.toUs));
  const result = executeQuery(store, plan, {
    logIds: lifted.logIds,
    ...range,
    budgetMs: intParam(input.budget_ms, "budget_ms", maxBudgetMs, 0, maxBudgetMs),
    ...(limit !== undefined ? { limit } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(order !== undefined ? { order } : {}),
  });
  const empty = result.kind === "events" ? result.events.length === 0 && after === undefined : result.count === 0;
  const notice = empty ? missingFieldNotice(store, plan, { logIds: lifted.logIds, ...range }) : undefined;
  return { result, canonical: format(plan.query), elapsedMs: performance.now() - start, ...(notice ? { notice } : {}) };
}

export function registerQueryRoutes(app: FastifyInstance, opts: QueryRoutesOptions): void {
  const budget = opts.budgetMs ?? DEFAULT_QUERY_BUDGET_MS;
  const answer = async (input: RunQueryInput) => {
    const r = await opts.queries.run(input, budget);
    const json = queryResultJson(r.result, r.canonical, r.elapsedMs);
    return r.notice ? { ...json, notice: r.notice } : json;
  };
  app.get("/api/v1/query", async (req) => answer(req.query as RunQueryInput));
  // A query only reads: read-only keys may POST it too.
  app.post("/api/v1/query", { config: { readOnly: true } }, async (req) => {
    const body = req.body;
    if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new LogharborError("LH_ERR_REQUEST", 'body: expected a JSON object such as {"q":"where(error)","from":"-1h"}');
    }
    return answer(body as RunQueryInput);
  });
}
