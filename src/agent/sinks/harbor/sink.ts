// The sink for http(s):// destinations: our acknowledged batch API (docs/architecture.md).
// A batch's body is its entries' raw export bytes, gzip'd (level 1: the CPU is better spent reading)
// unless the destination says compression none (the default to a loopback address).
// Network errors, 408, 429 and 5xx are retried with exponential backoff and jitter, honouring
// Retry-After; other 4xx are permanent: a SinkRefusal whose scope says whether only this batch is
// refused (400, 413, ...: dead-lettered) or every batch would be (401, 403, 404: the agent stops).
import http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import { gzip as gzipCb } from "node:zlib";
import { LogharborError } from "../../../core/errors.js";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from "../../backoff.js";
import type { Logger } from "../../logger.js";
import { errorSummary } from "../../sources/reconnecting-source.js";
import { postBatch, type PostResult } from "./post.js";
import { parseRetryAfter } from "./retry-after.js";
import { refusalScopeOfStatus, SinkRefusal } from "../refusal.js";

const gzip = promisify(gzipCb);

export interface Ack {
  accepted: number;
  duplicates: number;
  lastCursor: string | undefined;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
  status?: number;
}

export interface HarborSinkOptions {
  ingestUrl: URL;
  token: string | undefined;
  /** Safe to log: the destination without its token. */
  display: string;
  log: Logger;
  /** Sockets kept open; match the number of batches in flight. */
  maxSockets?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Longest wait a Retry-After may impose. */
  maxRetryAfterMs?: number;
  gzipLevel?: number;
  /** "none": send the export bytes as they are (Content-Encoding: identity). Default gzip. */
  compression?: "gzip" | "none";
  onRetry?: (info: RetryInfo) => void;
  /** The agent's report for X-Logharbor-Agent (core/wire/agent-report.ts), read at each send. */
  agentReport?: () => string | undefined;
}

export class HarborSink {
  readonly display: string;
  private readonly opts: HarborSinkOptions;
  private readonly agent: http.Agent;
  private readonly abort = new AbortController();

  constructor(opts: HarborSinkOptions) {
    this.opts = opts;
    this.display = opts.display;
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 4 };
    this.agent = opts.ingestUrl.protocol === "https:" ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
  }

  /** Sends a batch until the server acknowledges it; throws LH_ERR_SINK when it refuses it for good. */
  async send(body: Buffer, entries: number): Promise<Ack> {
    const plain = this.opts.compression === "none";
    const payload = plain ? body : await gzip(body, { level: this.opts.gzipLevel ?? 1 });
    const target = {
      url: this.opts.ingestUrl, token: this.opts.token, agent: this.agent, timeoutMs: this.opts.requestTimeoutMs ?? 30_000,
      encoding: plain ? ("identity" as const) : ("gzip" as const),
    };
    for (let attempt = 0; ; attempt++) {
      let res: PostResult | undefined;
      let reason = "";
      try {
        res = await postBatch({ ...target, agentReport: this.opts.agentReport?.() }, payload, this.abort.signal);
      } catch (e) {
        if (this.abort.signal.aborted) throw stopped();
        reason = `network error: ${errorSummary(e)}`;
      }
      if (res === undefined) {
        // retry below
      } else if (res.status === 200) {
        return parseAck(res.body, entries);
      } else if (res.status === 408 || res.status === 429 || res.status >= 500) {
        reason = `HTTP ${res.status}`;
      } else {
        throw this.refused(res, entries);
      }
      const retryAfter = res === undefined ? undefined : parseRetryAfter(res.headers["retry-after"]);
      const delayMs = retryAfter !== undefined
        ? Math.min(retryAfter, this.opts.maxRetryAfterMs ?? 300_000)
        : backoffDelay(attempt, this.opts.backoff ?? DEFAULT_BACKOFF);
      const info: RetryInfo = { attempt: attempt + 1, delayMs, reason, ...(res ? { status: res.status } : {}) };
      this.opts.onRetry?.(info);
      this.opts.log.warn({ destination: this.display, entries, attempt: info.attempt, delay_ms: delayMs, reason, ...(res ? { answer: res.body.slice(0, 300) } : {}) }, "batch not acknowledged; retrying");
      if (!(await sleep(delayMs, this.abort.signal))) throw stopped();
    }
  }

  /** Stops retrying: pending send() calls reject. */
  close(): void {
    this.abort.abort();
    this.agent.destroy();
  }

  private refused(res: PostResult, entries: number): SinkRefusal {
    let detail = res.body.trim().slice(0, 300);
    try {
      const e = (JSON.parse(res.body) as { error?: { code?: string; message?: string } }).error;
      if (e?.code || e?.message) detail = `${e.code ?? ""} ${e.message ?? ""}`.trim();
    } catch {
      // not JSON: keep the text
    }
    const hint = res.status === 401 || res.status === 403 ? " (check --token)" : res.status === 413 ? " (lower --batch-max-bytes)" : "";
    return new SinkRefusal(
      refusalScopeOfStatus(res.status),
      `${this.display}: the server refused a batch of ${entries} entries: expected HTTP 200, got ${res.status}${detail ? ` ${detail}` : ""}${hint}; not retrying`,
      res.status,
    );
  }
}

function stopped(): LogharborError {
  return new LogharborError("LH_ERR_SINK", "the sink was closed before the batch was acknowledged");
}

function parseAck(text: string, entries: number): Ack {
  try {
    const j = JSON.parse(text) as { accepted?: unknown; duplicates?: unknown; last_cursor?: unknown };
    const accepted = typeof j.accepted === "number" ? j.accepted : entries;
    const duplicates = typeof j.duplicates === "number" ? j.duplicates : 0;
    return { accepted, duplicates, lastCursor: typeof j.last_cursor === "string" ? j.last_cursor : undefined };
  } catch {
    // HTTP 200 means committed, whatever the body says.
    return { accepted: entries, duplicates: 0, lastCursor: undefined };
  }
}
