// The store's writer thread. Inserting (SQLite, FTS5, fsync) is most of what ingest costs; done on
// its own thread, it overlaps with the main thread's HTTP, decompression and parsing of the next
// batches, on a second core. Batches are written in the order they are handed over; each promise
// settles after its transaction committed.
import { LogharborError } from "../../../core/errors.js";
import { RequestThread } from "../../../core/threads/request-thread.js";
import { workerUrl } from "../../../core/threads/worker-url.js";
import type { WriteResult } from "./event-writer.js";
import { transferables, type PackedBatch } from "./prepared-batch.js";
import type { WriterRequest } from "./writer-protocol.js";

type Request<K extends WriterRequest["kind"]> = Omit<Extract<WriterRequest, { kind: K }>, "id">;

export class WriterThread {
  private readonly thread: RequestThread;

  constructor(file: string) {
    this.thread = new RequestThread(workerUrl(import.meta.url, "writer-worker"), { file });
  }

  write(batch: PackedBatch): Promise<WriteResult> {
    return this.send<WriteResult>({ kind: "write", batch } satisfies Request<"write">, transferables(batch));
  }

  /** Retention (pruner.ts): settles with how many events it deleted. */
  prune(log: number, beforeUs: number, max: number): Promise<number> {
    return this.send<number>({ kind: "prune", log, beforeUs, max } satisfies Request<"prune">);
  }

  private send<T>(req: object, transfer?: ArrayBuffer[]): Promise<T> {
    const failed = this.thread.failed;
    if (failed) return Promise.reject(new LogharborError("LH_ERR_SERVER", `store: cannot write: ${failed.message}`, { status: 503 }));
    return this.thread.request<T>(req, transfer);
  }

  /** Set once the thread has stopped (crashed, or closed). */
  get failed(): Error | undefined {
    return this.thread.failed;
  }

  /** Writes already handed over finish first; then the thread closes its connection and ends. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
