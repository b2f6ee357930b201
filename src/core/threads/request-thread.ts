// A worker thread that answers requests: each request gets an id, the thread replies once per
// request (in order), and the promise settles with the result or the error it threw. A thread that
// dies fails every request it still held. Unreferenced while idle, so it never keeps a process alive;
// close() lets it finish what it holds, then waits for it to end. Its body: serve-requests.ts.
//
// A request may carry a deadline: the time it may run once it is the thread's current request
// (requests run one at a time, in order). One that overruns it is answered with its timeout error,
// and the thread is terminated — whatever it was stuck in, even a single SQLite statement or a
// JavaScript loop — and replaced by a fresh one, to which the requests queued behind are re-sent.
import { Worker } from "node:worker_threads";
import { errorOf, type ErrorJson } from "./errors.js";

export type ThreadReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ErrorJson };

/** What every thread takes besides its own requests. */
export interface CloseRequest {
  kind: "close";
}

/** The deadline of one request. */
export interface Deadline {
  /** How long the request may run once the thread has started it. */
  ms: number;
  /** The error its caller gets when it overruns. */
  error: () => Error;
}

interface Pending {
  message: object;
  transfer: ArrayBuffer[];
  deadline: Deadline | undefined;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

export class RequestThread {
  private worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The id the timer watches. */
  private timed = 0;
  private restarts = 0;

  /** onFail: called once if the thread dies (not after close(), nor when an overrun replaces it). */
  constructor(
    private readonly url: URL,
    private readonly workerData: unknown,
    private readonly onFail?: (e: Error) => void,
  ) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = new Worker(this.url, { workerData: this.workerData });
    w.unref();
    w.on("message", (m: ThreadReply) => {
      if (w !== this.worker) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(errorOf(m.error));
      this.armHead();
    });
    const fail = (e: Error) => {
      if (w !== this.worker || this.failure) return;
      this.failure = e;
      this.disarm();
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      this.onFail?.(e);
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`the thread exited (${code})`)));
    return w;
  }

  /** Set once the thread has died or closed. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Requests sent and not answered yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /** How many times an overrun replaced the thread. */
  get replaced(): number {
    return this.restarts;
  }

  /** Sends a request (its `id` is added here); `transfer` moves buffers instead of copying them. */
  request<T>(req: object, transfer: ArrayBuffer[] = [], deadline?: Deadline): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const message = { ...req, id };
      this.pending.set(id, { message, transfer, deadline, resolve: resolve as (r: unknown) => void, reject });
      this.worker.postMessage(message, transfer);
      if (this.pending.size === 1) this.armHead();
    });
  }

  /** Watches the deadline of the request the thread is running now (the oldest unanswered). */
  private armHead(): void {
    this.disarm();
    const head = this.pending.entries().next();
    if (head.done) return;
    const [id, p] = head.value;
    if (p.deadline === undefined) return;
    this.timed = id;
    this.timer = setTimeout(() => this.overrun(id), p.deadline.ms);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timed = 0;
  }

  /** The current request overran: answer it, replace the thread, re-send what was queued behind it. */
  private overrun(id: number): void {
    if (this.timed !== id || this.failure) return;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(p.deadline!.error());
    this.replace();
  }

  /** Terminates the worker and starts a fresh one with the queued requests (those that moved buffers fail). */
  private replace(): void {
    this.disarm();
    const old = this.worker;
    this.worker = this.start();
    this.restarts++;
    void old.terminate();
    for (const [id, q] of [...this.pending]) {
      if (q.transfer.length > 0) {
        this.pending.delete(id);
        q.reject(new Error("the thread was replaced before it took this request"));
      } else {
        this.worker.postMessage(q.message);
      }
    }
    this.armHead();
  }

  /** For tests: ends the thread at once, as a crash would. */
  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  /**
   * Requests already sent finish first; then the thread closes its resources and ends. With
   * `graceMs`, a thread still busy after it is terminated and what it held fails with `error()`.
   */
  close(graceMs?: number, error?: () => Error): Promise<void> {
    if (this.failure) return Promise.resolve();
    const w = this.worker;
    // Whatever the thread had not answered when it ended is failed, never left pending: a caller
    // awaiting it (an HTTP request the server waits for while closing) would wait for ever.
    const done = new Promise<void>((r) =>
      w.once("exit", () => {
        const e = error?.() ?? new Error("the thread was closed");
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
        r();
      }),
    );
    // Referenced while closing, so that awaiting its exit keeps the event loop running.
    w.ref();
    this.failure = new Error("the thread was closed");
    this.disarm();
    w.postMessage({ kind: "close" } satisfies CloseRequest);
    if (graceMs === undefined) return done;
    const force = setTimeout(() => {
      const e = error?.() ?? new Error("the thread was stopped");
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      void w.terminate();
    }, graceMs);
    return done.finally(() => clearTimeout(force));
  }
}
