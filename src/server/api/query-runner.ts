// How the API runs queries: LEQL queries (runQuery) and event searches. Statements that read millions
// of rows take seconds; on the main thread they would hold up everything else the server does
// (ingest acknowledgements, the live tail, other requests). The server runs them on query threads
// (query-threads/pool.ts); this in-process runner serves stores without a file and tests.
import type { EventPage, EventSearch, Store } from "../storage/store.js";
import { runQuery, type RanQuery, type RunQueryInput } from "./query.js";

export interface QueryRunner {
  /** Validates the parameters and runs the query (rejects with the LogharborError naming a bad one). */
  run(input: RunQueryInput, maxBudgetMs: number, logIds?: string[]): Promise<RanQuery>;
  search(q: EventSearch): Promise<EventPage>;
  close(): Promise<void>;
}

export function inProcessRunner(store: Store): QueryRunner {
  return {
    run: async (input, maxBudgetMs, logIds) => runQuery(store, input, maxBudgetMs, logIds),
    search: async (q) => store.search(q),
    close: async () => {},
  };
}
