// The API's query threads: a few worker threads, each with its own read connection to the
// database, that run LEQL queries and event searches off the main thread, so a query reading
// millions of rows delays neither ingest nor other requests. A request goes to the thread with the
// fewest waiting; a thread that dies fails only its own requests and is replaced.
import { LogharborError } from "../../../core/errors.js";
import { RequestThread } from "../../../core/threads/request-thread.js";
import { workerUrl } from "../../../core/threads/worker-url.js";
import type { EventPage, EventSearch } from "../../storage/store.js";
import type { RanQuery, RunQueryInput } from "../query.js";
import type { QueryRunner } from "../query-runner.js";
import type { QueryRequest } from "./protocol.js";

/** Two: a long statistics query does not hold up the page's next one (results and histogram run together). */
export const DEFAULT_QUERY_THREADS = 2;

type Request<K extends QueryRequest["kind"]> = Omit<Extract<QueryRequest, { kind: K }>, "id">;

export class QueryThreads implements QueryRunner {
  private readonly threads: RequestThread[] = [];
  private closing = false;

  /** The threads start with the first query: a server that only ingests does not pay for them. */
  constructor(private readonly file: string, private readonly count = DEFAULT_QUERY_THREADS) {}

  private spawn(): RequestThread {
    const t: RequestThread = new RequestThread(workerUrl(import.meta.url, "worker"), { file: this.file }, () => {
      // A thread that died is replaced; the requests it held have failed.
      const i = this.threads.indexOf(t);
      if (i >= 0 && !this.closing) this.threads[i] = this.spawn();
    });
    return t;
  }

  private send<T>(req: object): Promise<T> {
    if (this.closing) return Promise.reject(new LogharborError("LH_ERR_SERVER", "the server is shutting down", { status: 503 }));
    if (this.threads.length === 0) for (let i = 0; i < Math.max(1, this.count); i++) this.threads.push(this.spawn());
    let t = this.threads[0]!;
    for (const c of this.threads) if (c.waiting < t.waiting) t = c;
    return t.request<T>(req).catch((e: Error) => {
      throw e instanceof LogharborError ? e : new LogharborError("LH_ERR_SERVER", `query failed: ${e.message}`, { status: 500 });
    });
  }

  run(input: RunQueryInput, maxBudgetMs: number, logIds?: string[]): Promise<RanQuery> {
    return this.send<RanQuery>({ kind: "run", input, maxBudgetMs, logIds } satisfies Request<"run">);
  }

  search(search: EventSearch): Promise<EventPage> {
    return this.send<EventPage>({ kind: "search", search } satisfies Request<"search">);
  }

  /** Queries already running finish; then each thread closes its connection and ends. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
