// A query thread's body: its own connection to the database (SQLite readers never wait for the
// writer in WAL mode), one request in, one reply out, in order.
import { workerData } from "node:worker_threads";
import { serveRequests } from "../../../core/threads/serve-requests.js";
import { SqliteStore } from "../../storage/sqlite/sqlite-store.js";
import { runQuery } from "../query.js";
import { DEFAULT_QUERY_BUDGET_MS, runWithinBudget } from "../../query/execute/budget.js";
import type { QueryRequest } from "./protocol.js";

const store = new SqliteStore((workerData as { file: string }).file);

serveRequests<QueryRequest>(
  (m) => (m.kind === "run" ? runQuery(store, m.input, m.maxBudgetMs, m.logIds) : runWithinBudget(DEFAULT_QUERY_BUDGET_MS, () => store.search(m.search))),
  () => void store.close(),
);
