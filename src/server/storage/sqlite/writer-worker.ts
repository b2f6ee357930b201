// The writer thread's body: its own connection to the database file, an EventWriter, and one
// message in, one message out per batch, in order.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { EventWriter } from "./event-writer.js";
import { Pruner } from "./pruner.js";
import { applyPragmas } from "./schema.js";
import type { WriterReply, WriterRequest } from "./writer-protocol.js";

const port = parentPort;
if (port === null) throw new Error("writer-worker.ts runs only as a worker thread");
const db = new Database((workerData as { file: string }).file);
applyPragmas(db);
const writer = new EventWriter(db);
const pruner = new Pruner(db);

port.on("message", (m: WriterRequest) => {
  if (m.kind === "close") {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { id: m.id, ok: true, result: m.kind === "write" ? writer.write(m.batch) : pruner.prune(m.beforeUs, m.max) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    reply = { id: m.id, ok: false, code: err.code ?? "", message: err.message ?? String(e) };
  }
  port.postMessage(reply);
});
