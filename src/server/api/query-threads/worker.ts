// A query thread's body: its own connection to the database (SQLite readers never wait for the
// writer in WAL mode), and one request in, one reply out, in order.
import { parentPort, workerData } from "node:worker_threads";
import { isLogharborError } from "../../../core/errors.js";
import { SqliteStore } from "../../storage/sqlite/sqlite-store.js";
import { runQuery } from "../query.js";
import type { ErrorJson, QueryReply, QueryRequest } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("query-threads/worker.ts runs only as a worker thread");
const store = new SqliteStore((workerData as { file: string }).file);

function errorJson(e: unknown): ErrorJson {
  if (isLogharborError(e)) {
    return { message: e.message, code: e.code, status: e.status, ...(e.position !== undefined ? { position: e.position } : {}) };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

port.on("message", (m: QueryRequest) => {
  if (m.kind === "close") {
    void store.close();
    port.close();
    return;
  }
  let reply: QueryReply;
  try {
    const result = m.kind === "run" ? runQuery(store, m.input, m.maxBudgetMs, m.logIds) : store.search(m.search);
    reply = { id: m.id, ok: true, result };
  } catch (e) {
    reply = { id: m.id, ok: false, error: errorJson(e) };
  }
  port.postMessage(reply);
});
