// The sink for elasticsearch+http(s)://host:port[/index-template] (and OpenSearch, which speaks the
// same _bulk API): POST /_bulk with NDJSON `create` actions (bulk.ts). The whole request: 429, 5xx
// and network errors are retried with backoff; 400/413 refuse the batch (dead-letter), 401/403/404
// the destination. Per item: created and 409 duplicates are done; items answered 429 (or 5xx) are
// sent again, alone, with backoff, until accepted; other refusals (mapping errors, ...) are
// dead-lettered one by one to `deadLetterFile` (NDJSON, with status and error) and counted, and
// the rest of the batch is acknowledged.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { parseExport } from "../../../core/journal/export-parser.js";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from "../../backoff.js";
import type { Logger } from "../../logger.js";
import type { Ack, BatchSink } from "../../pipeline.js";
import { errorSummary } from "../../sources/reconnecting-source.js";
import { httpAgent, httpRequest, type HttpAnswer } from "../common/http-request.js";
import { closed } from "../common/http-retry.js";
import { parseRetryAfter } from "../harbor/retry-after.js";
import { refusalScopeOfStatus, SinkRefusal } from "../refusal.js";
import { bulkItem, bulkResults, type BulkItem } from "./bulk.js";

export interface ElasticsearchSinkOptions {
  /** http(s)://host:port[/prefix] of the cluster; _bulk is added. */
  url: URL;
  display: string;
  indexTemplate: string;
  /** "Basic ..." or "ApiKey ...". */
  authorization?: string;
  /** Where refused items are written (NDJSON); logged and counted only when undefined. */
  deadLetterFile?: string;
  log: Logger;
  maxSockets?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  onRetry?: () => void;
}

export class ElasticsearchSink implements BatchSink {
  readonly display: string;
  /** Items refused for good (dead-lettered). */
  rejected = 0;
  /** Items sent again after a per-item 429/5xx. */
  itemRetries = 0;
  private readonly o: ElasticsearchSinkOptions;
  private readonly bulkUrl: URL;
  private readonly agent;
  private readonly abort = new AbortController();

  constructor(o: ElasticsearchSinkOptions) {
    this.o = o;
    this.display = o.display;
    this.bulkUrl = new URL(o.url.href);
    this.bulkUrl.pathname = o.url.pathname.replace(/\/+$/, "") + "/_bulk";
    this.bulkUrl.search = "";
    this.bulkUrl.username = this.bulkUrl.password = "";
    this.agent = httpAgent(this.bulkUrl, o.maxSockets ?? 4);
  }

  async send(body: Buffer, _entries: number): Promise<Ack> {
    const nowUs = Date.now() * 1000;
    let pending: BulkItem[] = parseExport(body).map((e) => bulkItem(e, this.o.indexTemplate, nowUs));
    let accepted = 0;
    let duplicates = 0;
    const headers: Record<string, string> = { "Content-Type": "application/x-ndjson", Accept: "application/json" };
    if (this.o.authorization !== undefined) headers["Authorization"] = this.o.authorization;
    const target = { url: this.bulkUrl, agent: this.agent, timeoutMs: this.o.requestTimeoutMs ?? 60_000, headers };
    for (let attempt = 0; pending.length > 0; attempt++) {
      let answer: HttpAnswer | undefined;
      let reason: string;
      try {
        answer = await httpRequest(target, "POST", Buffer.from(pending.map((p) => p.lines).join("")), this.abort.signal);
      } catch (e) {
        if (this.abort.signal.aborted) throw closed();
        answer = undefined;
        reason = `network error: ${errorSummary(e)}`;
      }
      if (answer !== undefined) {
        if (answer.status === 200) {
          const results = bulkResults(answer.body, pending.length);
          if (results === undefined) throw new SinkRefusal("destination", `${this.display}: the answer to _bulk is not a bulk response with ${pending.length} items (is this Elasticsearch or OpenSearch?): ${answer.body.slice(0, 200)}`, 200);
          const again: BulkItem[] = [];
          const refused: { item: BulkItem; status: number; error: string }[] = [];
          results.forEach((r, i) => {
            if (r.outcome === "created") accepted++;
            else if (r.outcome === "duplicate") duplicates++;
            else if (r.outcome === "retry") again.push(pending[i]!);
            else refused.push({ item: pending[i]!, status: r.status, error: r.error ?? "" });
          });
          if (refused.length > 0) await this.deadLetter(refused);
          if (again.length === 0) break;
          this.itemRetries += again.length;
          reason = `${again.length} of ${pending.length} items answered ${results.find((r) => r.outcome === "retry")!.status}`;
          pending = again;
        } else if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
          reason = `HTTP ${answer.status}`;
        } else {
          const hint = answer.status === 413 ? " (lower --batch-max-bytes; http.max_content_length is 100mb by default)" : "";
          throw new SinkRefusal(refusalScopeOfStatus(answer.status), `${this.display}: _bulk refused a batch of ${pending.length} entries: expected HTTP 200, got ${answer.status} ${answer.body.trim().slice(0, 300)}${hint}; not retrying`, answer.status);
        }
      }
      const ra = answer === undefined ? undefined : parseRetryAfter(answer.headers["retry-after"]);
      const delayMs = ra !== undefined ? Math.min(ra, 300_000) : backoffDelay(attempt, this.o.backoff ?? DEFAULT_BACKOFF);
      this.o.onRetry?.();
      this.o.log.warn({ destination: this.display, items: pending.length, attempt: attempt + 1, delay_ms: delayMs, reason: reason! }, "bulk items not accepted; retrying them");
      if (!(await sleep(delayMs, this.abort.signal))) throw closed();
    }
    return { accepted, duplicates };
  }

  close(): void {
    this.abort.abort();
    this.agent.destroy();
  }

  private async deadLetter(refused: { item: BulkItem; status: number; error: string }[]): Promise<void> {
    this.rejected += refused.length;
    this.o.log.warn({ destination: this.display, items: refused.length, status: refused[0]!.status, error: refused[0]!.error.slice(0, 300), dead_letter: this.o.deadLetterFile ?? null }, "Elasticsearch refused items of a batch for good; the rest was stored");
    if (this.o.deadLetterFile === undefined) return;
    const at = new Date().toISOString();
    const lines = refused.map((r) => {
      const [action, doc] = r.item.lines.split("\n");
      return JSON.stringify({ at, status: r.status, error: r.error, action: JSON.parse(action!), document: JSON.parse(doc!) }) + "\n";
    });
    await mkdir(dirname(this.o.deadLetterFile), { recursive: true });
    await appendFile(this.o.deadLetterFile, lines.join(""));
  }
}
