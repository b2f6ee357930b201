// The API's query threads: a few worker threads, each with its own read connection to the
// database, that run LEQL queries and event searches off the main thread, so a query reading
// millions of rows delays neither ingest nor other requests. A request goes to the thread with the
// fewest waiting; a thread that dies fails only its own requests and is replaced.
import { Worker } from "node:worker_threads";
import { LogharborError, type ErrorCode } from "../../../core/errors.js";
import { workerUrl } from "../../../core/worker-url.js";
import type { EventPage, EventSearch } from "../../storage/store.js";
import type { RanQuery, RunQueryInput } from "../query.js";
import type { QueryRunner } from "../query-runner.js";
import type { ErrorJson, QueryReply, QueryRequest } from "./protocol.js";

/** Two: a long statistics query does not hold up the page's next one (results and histogram run together). */
export const DEFAULT_QUERY_THREADS = 2;

/** A request before it gets its id (distributed over the kinds). */
type Request = Extract<QueryRequest, { id: number }> extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

function toError(e: ErrorJson): Error {
  if (e.code === undefined) return new Error(e.message);
  return new LogharborError(e.code as ErrorCode, e.message, {
    ...(e.status !== undefined ? { status: e.status } : {}), ...(e.position !== undefined ? { position: e.position } : {}),
  });
}

class QueryThread {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  exited = false;

  constructor(file: string, onExit: (t: QueryThread) => void) {
    this.worker = new Worker(workerUrl(import.meta.url, "worker"), { workerData: { file } });
    this.worker.unref();
    this.worker.on("message", (m: QueryReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(toError(m.error));
    });
    const fail = (e: Error) => {
      if (this.exited) return;
      this.exited = true;
      const err = new LogharborError("LH_ERR_SERVER", `query thread failed: ${e.message}`, { status: 500 });
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      onExit(this);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`exited (${code})`)));
  }
}

export class QueryThreads implements QueryRunner {
  private threads: QueryThread[] = [];
  private nextId = 1;
  private closing = false;

  constructor(private readonly file: string, count = DEFAULT_QUERY_THREADS) {
    for (let i = 0; i < Math.max(1, count); i++) this.threads.push(this.spawn());
  }

  private spawn(): QueryThread {
    return new QueryThread(this.file, (dead) => {
      const i = this.threads.indexOf(dead);
      if (i >= 0 && !this.closing) this.threads[i] = this.spawn();
    });
  }

  private send<T>(req: Request): Promise<T> {
    if (this.closing) return Promise.reject(new LogharborError("LH_ERR_SERVER", "the server is shutting down", { status: 503 }));
    let t = this.threads[0]!;
    for (const c of this.threads) if (c.pending.size < t.pending.size) t = c;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      t.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      t.worker.postMessage({ ...req, id } as QueryRequest);
    });
  }

  run(input: RunQueryInput, maxBudgetMs: number, logIds?: string[]): Promise<RanQuery> {
    return this.send<RanQuery>({ kind: "run", input, maxBudgetMs, logIds });
  }

  search(search: EventSearch): Promise<EventPage> {
    return this.send<EventPage>({ kind: "search", search });
  }

  /** Queries already running finish; then each thread closes its connection and ends. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.filter((t) => !t.exited).map((t) => {
      const done = new Promise<void>((r) => t.worker.once("exit", () => r()));
      t.worker.ref();
      t.worker.postMessage({ kind: "close" } satisfies QueryRequest);
      return done;
    }));
  }
}
