// The writer thread's body: its own connection to the database file, an EventWriter and a Pruner,
// one request in, one reply out, in order.
import Database from "better-sqlite3";
import { workerData } from "node:worker_threads";
import { serveRequests } from "../../../core/threads/serve-requests.js";
import { EventWriter } from "./event-writer.js";
import { Pruner } from "./pruner.js";
import { applyPragmas } from "./schema.js";
import { storageErrorOf } from "../storage-errors.js";
import type { WriterRequest } from "./writer-protocol.js";

const db = new Database((workerData as { file: string }).file);
applyPragmas(db);
const writer = new EventWriter(db);
const pruner = new Pruner(db);

serveRequests<WriterRequest>(
  (m) => {
    try {
      return m.kind === "write" ? writer.write(m.batch) : pruner.prune(m.log, m.beforeUs, m.max);
    } catch (e) {
      // A full disk or a damaged database crosses to the main thread by name (code and status).
      throw storageErrorOf(e) ?? e;
    }
  },
  () => db.close(),
);
