// A worker thread that answers requests: each request gets an id, the thread replies once per
// request (in order), and the promise settles with the result or the error it threw. A thread that
// dies fails every request it still held. Unreferenced while idle, so it never keeps a process alive;
// close() lets it finish what it holds, then waits for it to end. Its body: serve-requests.ts.
import { Worker } from "node:worker_threads";
import { errorOf, type ErrorJson } from "./errors.js";

export type ThreadReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorJson };

/** What every thread takes besides its own requests. */
export interface CloseRequest {
  kind: "close";
}

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

export class RequestThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;

  /** onFail: called once if the thread dies (not after close()). */
  constructor(url: URL, workerData: unknown, onFail?: (e: Error) => void) {
    this.worker = new Worker(url, { workerData });
    this.worker.unref();
    this.worker.on("message", (m: ThreadReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(errorOf(m.error));
    });
    const fail = (e: Error) => {
      if (this.failure) return;
      this.failure = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      onFail?.(e);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the thread exited (${code})`)));
  }

  /** Set once the thread has died or closed. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Requests sent and not answered yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Sends a request (its `id` is added here); `transfer` moves buffers instead of copying them. */
  request<T>(req: object, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  /** For tests: ends the thread at once, as a crash would. */
  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  /** Requests already sent finish first; then the thread closes its resources and ends. */
  close(): Promise<void> {
    if (this.failure) return Promise.resolve();
    const done = new Promise<void>((r) => this.worker.once("exit", () => r()));
    // Referenced while closing, so that awaiting its exit keeps the event loop running.
    this.worker.ref();
    this.failure = new Error("the thread was closed");
    this.worker.postMessage({ kind: "close" } satisfies CloseRequest);
    return done;
  }
}
