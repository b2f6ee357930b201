// Retention (serve --retention): a pass at start and then every minute deletes the events older
// than the retention, oldest first, in transactions of a few thousand (Store.prune), so ingest
// batches interleave with it and nothing waits long. A pass that fails is logged and retried at
// the next interval; stop() lets the running transaction finish.
import type { Logger } from "pino";
import { setImmediate as yieldTurn } from "node:timers/promises";
import { formatIsoUs } from "../../core/time.js";
import type { ServerMetrics } from "../metrics.js";
import type { Store } from "./store.js";

export const RETENTION_INTERVAL_MS = 60_000;
/** Events per transaction: about 50 ms of the writer's time. */
export const PRUNE_CHUNK = 5000;

export interface RetentionOptions {
  store: Pick<Store, "prune">;
  retentionMs: number;
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

  /** One pass: deletes everything older than the retention; returns how many events it deleted. */
  async pass(): Promise<number> {
    const { store, logger, metrics } = this.o;
    const chunk = this.o.chunk ?? PRUNE_CHUNK;
    const beforeUs = ((this.o.now ?? Date.now)() - this.o.retentionMs) * 1000;
    const t0 = performance.now();
    let total = 0;
    try {
      for (;;) {
        const n = await store.prune(beforeUs, chunk);
        total += n;
        metrics.prunedEvents.inc(n);
        if (n < chunk || this.stopped) break;
        await yieldTurn();
      }
    } catch (err) {
      logger.error({ err, deleted: total }, "retention: could not delete old events; retrying at the next pass");
    }
    const seconds = (performance.now() - t0) / 1000;
    metrics.retentionPassSeconds.set(total > 0 ? seconds : 0);
    if (total > 0) logger.info({ deleted: total, before: formatIsoUs(beforeUs), seconds: Number(seconds.toFixed(3)) }, "retention: deleted old events");
    return total;
  }

  /** No new pass; the one running ends after its current transaction. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
