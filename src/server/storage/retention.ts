// Retention: a pass at start and then every minute deletes, in each log, the events older than the
// log's retention (its own, else the server's `serve --retention`; 0 keeps everything), oldest
// first, in transactions of a few thousand (Store.prune), so ingest batches interleave with it and
// nothing waits long. A pass that fails is logged and retried at the next interval; stop() lets the
// running transaction finish.
import type { Logger } from "pino";
import { setImmediate as yieldTurn } from "node:timers/promises";
import { durationSeconds, formatIsoUs } from "../../core/time.js";
import type { ServerMetrics } from "../metrics.js";
import type { Store } from "./store.js";

export const RETENTION_INTERVAL_MS = 60_000;
/** The shortest retention: an hour (events are checked every minute; shorter would be a mistake). */
export const MIN_RETENTION_SECONDS = 3600;

/** A retention as written ("12h", "30d", "2w"; at least 1h) in ms, or undefined when the text is not one. */
export function retentionMsOf(text: string): number | undefined {
  const s = durationSeconds(text);
  return s === undefined || s < MIN_RETENTION_SECONDS ? undefined : s * 1000;
}
/** Events per transaction: about 60 ms of the writer's time at 1M events. */
export const PRUNE_CHUNK = 5000;

export interface RetentionOptions {
  store: Pick<Store, "prune" | "listLogs">;
  /** The server's retention (ms) for logs without their own; undefined or 0 = keep everything. */
  retentionMs: number | undefined;
  logger: Logger;
  metrics: ServerMetrics;
  intervalMs?: number;
  chunk?: number;
  /** For tests: the clock, ms. */
  now?: () => number;
}

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly o: RetentionOptions) {}

  /** A pass now, then one every interval after the previous one ended. */
  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.pass().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(loop, this.o.intervalMs ?? RETENTION_INTERVAL_MS).unref();
      });
    };
    loop();
  }

  /** One pass over every log; returns how many events it deleted. */
  async pass(): Promise<number> {
    const { store, logger, metrics } = this.o;
    const chunk = this.o.chunk ?? PRUNE_CHUNK;
    const nowMs = (this.o.now ?? Date.now)();
    const t0 = performance.now();
    let total = 0;
    try {
      for (const log of store.listLogs()) {
        const retentionMs = log.retentionMs ?? this.o.retentionMs ?? 0;
        if (retentionMs <= 0 || this.stopped) continue;
        const beforeUs = (nowMs - retentionMs) * 1000;
        let deleted = 0;
        for (;;) {
          const n = await store.prune(log.id, beforeUs, chunk);
          deleted += n;
          metrics.prunedEvents.inc(n);
          if (n < chunk || this.stopped) break;
          await yieldTurn();
        }
        total += deleted;
        if (deleted > 0) logger.info({ log: log.name, deleted, before: formatIsoUs(beforeUs) }, "retention: deleted old events");
      }
    } catch (err) {
      logger.error({ err, deleted: total }, "retention: could not delete old events; retrying at the next pass");
    }
    const seconds = (performance.now() - t0) / 1000;
    metrics.retentionPassSeconds.set(total > 0 ? seconds : 0);
    return total;
  }

  /** No new pass; the one running ends after its current transaction. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
