// The API's query threads: a few worker threads, each with its own read connection to the
// database, that run LEQL queries and event searches off the main thread, so a query reading
// millions of rows delays neither ingest nor other requests. A request goes to the thread with the
// fewest waiting; a thread that dies fails only its own requests and is replaced.
// Hard deadline: a query checks its time budget between steps (and inside long SQL, in the
// functions SQLite calls per row); one that still runs well past it (a single statement that never
// returns) is answered 503 LH_ERR_QUERY_TIMEOUT and its thread terminated and replaced.
import { LogharborError } from "../../../core/errors.js";
import { RequestThread } from "../../../core/threads/request-thread.js";
import { workerUrl } from "../../../core/threads/worker-url.js";
import type { EventPage, EventSearch } from "../../storage/store.js";
import type { RanQuery, RunQueryInput } from "../query.js";
import type { QueryRunner } from "../query-runner.js";
import type { QueryRequest } from "./protocol.js";
import { DEFAULT_QUERY_BUDGET_MS } from "../../query/execute/budget.js";

/** How long past its budget a query may run before its thread is terminated: the budget again, at least 4 s. */
export function hardDeadlineMs(budgetMs: number): number {
  return budgetMs + Math.max(4000, budgetMs);
}

/** The budget a query asked for (its budget_ms, at most the server's); the thread validates it. */
function budgetOf(input: RunQueryInput, maxBudgetMs: number): number {
  const asked = Number(input.budget_ms);
  return input.budget_ms !== undefined && input.budget_ms !== "" && Number.isInteger(asked) && asked >= 0 ? Math.min(asked, maxBudgetMs) : maxBudgetMs;
}

/** On shutdown, running queries get this long to finish before their threads are terminated. */
export const CLOSE_GRACE_MS = 1000;

function timeoutError(budgetMs: number): () => LogharborError {
  return () =>
    new LogharborError(
      "LH_ERR_QUERY_TIMEOUT",
      `query: stopped after ${hardDeadlineMs(budgetMs)} ms, well past its time budget of ${budgetMs} ms, in one step that could not be interrupted; narrow the time range or make the query more selective`,
      { status: 503 },
    );
}

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
      if (i >= 0 && !this.closing) {
        this.retired += t.replaced;
        this.threads[i] = this.spawn();
      }
    });
    return t;
  }

  /** Threads replaced after an overrun, over the pool's life. */
  get replaced(): number {
    return this.threads.reduce((n, t) => n + t.replaced, 0) + this.retired;
  }
  private retired = 0;

  private send<T>(req: object, budgetMs: number): Promise<T> {
    if (this.closing) return Promise.reject(new LogharborError("LH_ERR_SERVER", "the server is shutting down", { status: 503 }));
    if (this.threads.length === 0) for (let i = 0; i < Math.max(1, this.count); i++) this.threads.push(this.spawn());
    let t = this.threads[0]!;
    for (const c of this.threads) if (c.waiting < t.waiting) t = c;
    return t.request<T>(req, [], { ms: hardDeadlineMs(budgetMs), error: timeoutError(budgetMs) }).catch((e: Error) => {
      throw e instanceof LogharborError ? e : new LogharborError("LH_ERR_SERVER", `query failed: ${e.message}`, { status: 500 });
    });
  }

  run(input: RunQueryInput, maxBudgetMs: number, logIds?: string[]): Promise<RanQuery> {
    return this.send<RanQuery>({ kind: "run", input, maxBudgetMs, logIds } satisfies Request<"run">, budgetOf(input, maxBudgetMs));
  }

  search(search: EventSearch): Promise<EventPage> {
    return this.send<EventPage>({ kind: "search", search } satisfies Request<"search">, DEFAULT_QUERY_BUDGET_MS);
  }

  /**
   * Queries already running get `graceMs` to finish (those still running then are answered 503 and
   * their threads terminated); then each thread closes its connection and ends.
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    this.closing = true;
    const stopped = () => new LogharborError("LH_ERR_SERVER", "the server is shutting down", { status: 503 });
    await Promise.all(this.threads.map((t) => t.close(graceMs, stopped)));
  }
}
