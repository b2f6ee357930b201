// The retry loop of the HTTP sinks: sends until `judge` says the answer is final, retrying network
// errors and whatever `judge` calls retriable with exponential backoff (or the answer's
// Retry-After), until the sink is closed.
import { LogharborError } from "../../../core/errors.js";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from "../../backoff.js";
import type { Logger } from "../../logger.js";
import { errorSummary } from "../../sources/reconnecting-source.js";
import { parseRetryAfter } from "../harbor/retry-after.js";
import type { HttpAnswer } from "./http-request.js";

export interface RetryContext {
  display: string;
  log: Logger;
  signal: AbortSignal;
  backoff?: BackoffOptions;
  maxRetryAfterMs?: number;
  onRetry?: () => void;
}

/** What to do with an answer: a final result, or retry (with the reason to log). */
export type Verdict<T> = { done: T } | { retry: string };

export async function withRetries<T>(c: RetryContext, what: string, attemptOnce: () => Promise<HttpAnswer>, judge: (a: HttpAnswer) => Verdict<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let answer: HttpAnswer | undefined;
    let reason: string;
    try {
      answer = await attemptOnce();
      const v = judge(answer);
      if ("done" in v) return v.done;
      reason = v.retry;
    } catch (e) {
      if (c.signal.aborted) throw closed();
      if (answer !== undefined) throw e; // judge refused for good
      reason = `network error: ${errorSummary(e)}`;
    }
    const retryAfter = answer === undefined ? undefined : parseRetryAfter(answer.headers["retry-after"]);
    const delayMs = retryAfter !== undefined ? Math.min(retryAfter, c.maxRetryAfterMs ?? 300_000) : backoffDelay(attempt, c.backoff ?? DEFAULT_BACKOFF);
    c.onRetry?.();
    c.log.warn({ destination: c.display, attempt: attempt + 1, delay_ms: delayMs, reason, ...(answer ? { answer: answer.body.slice(0, 300) } : {}) }, `${what} not accepted; retrying`);
    if (!(await sleep(delayMs, c.signal))) throw closed();
  }
}

export function closed(): LogharborError {
  return new LogharborError("LH_ERR_SINK", "the sink was closed before the batch was acknowledged");
}
