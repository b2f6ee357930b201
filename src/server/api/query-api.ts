// Everything that reads events: the query API, field autocompletion, live tail (SSE) and the
// Logentries-compatible query API, sharing one live-tail hub.
import type { FastifyInstance } from "fastify";
import { DEFAULT_QUERY_BUDGET_MS } from "../query/execute/index.js";
import type { Store } from "../storage/store.js";
import type { QueryRunner } from "./query-runner.js";
import { TailHub } from "../tail/hub.js";
import { registerFieldRoutes } from "./fields.js";
import { registerLogentriesRoutes } from "./logentries/routes.js";
import { registerQueryRoutes } from "./query.js";
import { registerTailRoutes } from "./tail.js";

export function registerQueryApi(api: FastifyInstance, opts: { store: Store; queries: QueryRunner; budgetMs?: number }): void {
  const budgetMs = opts.budgetMs ?? DEFAULT_QUERY_BUDGET_MS;
  const hub = new TailHub(opts.store);
  registerQueryRoutes(api, { queries: opts.queries, budgetMs });
  registerFieldRoutes(api, opts.store);
  registerTailRoutes(api, opts.store, hub);
  registerLogentriesRoutes(api, { store: opts.store, queries: opts.queries, hub, budgetMs });
}
