// Runs a planned LEQL query against a store: events (paginated) or statistics, over several logs
// and a time range, within a time budget.
import type { Store } from "../../storage/store.js";
import type { QueryPlan } from "../plan.js";
import { Budget, DEFAULT_QUERY_BUDGET_MS, runWithinBudget } from "./budget.js";
import { executeEvents, type EventsResult } from "./events.js";
import { queryRange } from "./range.js";
import { executeStats, type StatsResult } from "./stats.js";

export { Budget, DEFAULT_QUERY_BUDGET_MS } from "./budget.js";
export type { Partial } from "./budget.js";
export type { EventsResult, FoundEvent } from "./events.js";
export type { StatsResult, StatsGroup } from "./stats.js";
export type { Buckets } from "./timeslice.js";

export const DEFAULT_EVENT_LIMIT = 100;

export interface ExecuteOptions {
  /** Log ids; empty = all logs. */
  logIds: string[];
  fromUs: number;
  toUs: number;
  /** Events per page (default: the query's limit(), else 100). */
  limit?: number;
  /** Events: continue after this position (a previous answer's nextPage). */
  after?: string;
  /** Events order when the query has no sort(): newest first by default. */
  order?: "asc" | "desc";
  budgetMs?: number;
  /** For tests: a clock in milliseconds. */
  clock?: () => number;
}

export type QueryResult = (EventsResult | StatsResult) & { fromUs: number; toUs: number };

export function executeQuery(store: Store, plan: QueryPlan, o: ExecuteOptions): QueryResult {
  return runWithinBudget(o.budgetMs ?? DEFAULT_QUERY_BUDGET_MS, () => execute(store, plan, o));
}

function execute(store: Store, plan: QueryPlan, o: ExecuteOptions): QueryResult {
  const budget = new Budget(o.budgetMs ?? DEFAULT_QUERY_BUDGET_MS, ...(o.clock ? [o.clock] : []));
  const range = queryRange(store, o.logIds, o.fromUs, o.toUs);
  if (plan.stats) {
    return { ...executeStats(store, plan, { logIds: o.logIds, range, budget }), fromUs: o.fromUs, toUs: o.toUs };
  }
  const order = plan.sort?.direction ?? o.order ?? "desc";
  const limit = o.limit ?? plan.limit ?? DEFAULT_EVENT_LIMIT;
  return {
    ...executeEvents(store, plan, { logIds: o.logIds, range, limit, order, budget, ...(o.after !== undefined ? { after: o.after } : {}) }),
    fromUs: o.fromUs, toUs: o.toUs,
  };
}
