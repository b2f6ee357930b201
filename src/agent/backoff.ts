// Exponential backoff with jitter, for reconnecting to a source and retrying a sink.
import { setTimeout as sleepTimer } from "node:timers/promises";

export interface BackoffOptions {
  /** First delay in ms (before jitter). */
  initialMs: number;
  /** Largest delay in ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000 };

/** Delay before retry number `attempt` (0-based): doubles each time, capped, with "equal jitter". */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Sleeps `ms`; resolves false (instead of throwing) when the signal aborts first. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleepTimer(ms, undefined, signal ? { signal } : undefined);
    return true;
  } catch {
    return false;
  }
}
