// The sink for loki+http(s):// destinations: Loki's push API (POST /loki/api/v1/push, JSON,
// gzip'd). Batches are sent one at a time, in order, so each stream's entries reach Loki in time
// order. Answers: 204 accepted; 429 and 5xx retried with backoff (Retry-After honoured); 400 naming
// out-of-order or too-old entries ("total ignored: N out of M") means the rest was stored — the
// ignored ones are counted and logged, not retried (they would be refused again); any other 400 or
// 413 refuses the batch (dead-letter); 401/403/404 condemn the destination.
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import { parseExport } from "../../../core/journal/export-parser.js";
import type { BackoffOptions } from "../../backoff.js";
import type { Logger } from "../../logger.js";
import type { Ack, BatchSink } from "../../pipeline.js";
import { httpAgent, httpRequest, type HttpAnswer } from "../common/http-request.js";
import { withRetries, type Verdict } from "../common/http-retry.js";
import { refusalScopeOfStatus, SinkRefusal } from "../refusal.js";
import { LabelSet, type LabelMap } from "./labels.js";
import { PushBuilder, type LokiLine } from "./push.js";

const gzip = promisify(gzipCb);
export const LOKI_PUSH_PATH = "/loki/api/v1/push";

export interface LokiSinkOptions {
  /** The Loki base URL (http(s)://host:port[/prefix]); the push path is added. */
  url: URL;
  display: string;
  labels: LabelMap;
  maxLabelValues: number;
  line: LokiLine;
  /** X-Scope-OrgID for multi-tenant Loki. */
  tenant?: string;
  /** "Basic ..." from the URL's user:password. */
  authorization?: string;
  log: Logger;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  onRetry?: () => void;
}

export class LokiSink implements BatchSink {
  readonly display: string;
  /** Entries Loki ignored (out of order, too old). */
  ignored = 0;
  readonly labels: LabelSet;
  readonly builder: PushBuilder;
  private readonly o: LokiSinkOptions;
  private readonly pushUrl: URL;
  private readonly agent;
  private readonly abort = new AbortController();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(o: LokiSinkOptions) {
    this.o = o;
    this.display = o.display;
    this.labels = new LabelSet(o.labels, o.maxLabelValues);
    this.builder = new PushBuilder(this.labels, o.line);
    this.pushUrl = new URL(o.url.href);
    this.pushUrl.pathname = o.url.pathname.replace(/\/+$/, "") + LOKI_PUSH_PATH;
    this.pushUrl.search = "";
    this.pushUrl.username = this.pushUrl.password = "";
    this.agent = httpAgent(this.pushUrl, 2);
  }

  send(body: Buffer, entries: number): Promise<Ack> {
    const run = () => this.push(body, entries);
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.abort.abort();
    this.agent.destroy();
  }

  private async push(body: Buffer, entries: number): Promise<Ack> {
    const parsed = parseExport(body);
    const zipped = await gzip(Buffer.from(JSON.stringify(this.builder.build(parsed))), { level: 1 });
    const headers: Record<string, string> = { "Content-Type": "application/json", "Content-Encoding": "gzip" };
    if (this.o.tenant !== undefined) headers["X-Scope-OrgID"] = this.o.tenant;
    if (this.o.authorization !== undefined) headers["Authorization"] = this.o.authorization;
    const target = { url: this.pushUrl, agent: this.agent, timeoutMs: this.o.requestTimeoutMs ?? 30_000, headers };
    return withRetries(
      { display: this.display, log: this.o.log, signal: this.abort.signal, ...(this.o.backoff ? { backoff: this.o.backoff } : {}), ...(this.o.onRetry ? { onRetry: this.o.onRetry } : {}) },
      "a Loki push",
      () => httpRequest(target, "POST", zipped, this.abort.signal),
      (a) => this.judge(a, parsed.length || entries),
    );
  }

  private judge(a: HttpAnswer, entries: number): Verdict<Ack> {
    if (a.status >= 200 && a.status < 300) return { done: { accepted: entries, duplicates: 0 } };
    if (a.status === 408 || a.status === 429 || a.status >= 500) return { retry: `HTTP ${a.status}` };
    const ignored = a.status === 400 ? ignoredEntries(a.body, entries) : undefined;
    if (ignored !== undefined) {
      this.ignored += ignored;
      this.o.log.warn({ destination: this.display, ignored, entries, answer: a.body.slice(0, 300) }, "Loki ignored entries of a batch as out of order or too old; the rest was stored");
      return { done: { accepted: entries - ignored, duplicates: 0 } };
    }
    throw new SinkRefusal(refusalScopeOfStatus(a.status), `${this.display}: Loki refused a batch of ${entries} entries: expected HTTP 204, got ${a.status} ${a.body.trim().slice(0, 300)}; not retrying`, a.status);
  }
}

/** From a Loki 400 about out-of-order or too-old entries: how many it ignored (undefined for other 400s). */
export function ignoredEntries(body: string, entries: number): number | undefined {
  if (!/out of order|too far behind|greater than max_sample_age|too old/i.test(body)) return undefined;
  const m = /total ignored: (\d+) out of (\d+)/.exec(body);
  return m ? Math.min(Number(m[1]), entries) : entries;
}
