// The store's writer thread. Inserting (SQLite, FTS5, fsync) is most of what ingest costs; done on
// its own thread, it overlaps with the main thread's HTTP, decompression and parsing of the next
// batches, on a second core. Batches are written in the order they are handed over; each promise
// settles after its transaction committed.
import { Worker } from "node:worker_threads";
import { LogharborError } from "../../../core/errors.js";
import { workerUrl } from "../../../core/worker-url.js";
import type { WriteResult } from "./event-writer.js";
import { transferables, type PackedBatch } from "./prepared-batch.js";
import type { WriterReply, WriterRequest } from "./writer-protocol.js";

interface Pending {
  resolve: (r: WriteResult | number) => void;
  reject: (e: Error) => void;
}

export class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;

  constructor(file: string) {
    this.worker = new Worker(workerUrl(import.meta.url, "writer-worker"), { workerData: { file } });
    this.worker.unref();
    this.worker.on("message", (m: WriterReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.message), { code: m.code }));
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the store's writer thread exited (${code})`)));
  }

  write(batch: PackedBatch): Promise<WriteResult> {
    return this.send({ kind: "write", id: this.nextId++, batch }, transferables(batch)) as Promise<WriteResult>;
  }

  /** Retention (pruner.ts): settles with how many events it deleted. */
  prune(beforeUs: number, max: number): Promise<number> {
    return this.send({ kind: "prune", id: this.nextId++, beforeUs, max }, []) as Promise<number>;
  }

  private send(req: Extract<WriterRequest, { id: number }>, transfer: ArrayBuffer[]): Promise<WriteResult | number> {
    if (this.failed) {
      return Promise.reject(new LogharborError("LH_ERR_SERVER", `store: cannot write: ${this.failed.message}`, { status: 503 }));
    }
    return new Promise<WriteResult | number>((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  /** Writes already handed over finish first; then the thread closes its connection and ends. */
  close(): Promise<void> {
    if (this.failed) return Promise.resolve();
    const done = new Promise<void>((r) => this.worker.once("exit", () => r()));
    // Unreferenced while idle (it must not keep a process alive); referenced while closing, so that
    // awaiting its exit keeps the event loop running until it has closed its connection.
    this.worker.ref();
    const req: WriterRequest = { kind: "close" };
    this.worker.postMessage(req);
    return done;
  }
}
