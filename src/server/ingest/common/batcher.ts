// Groups events that arrive close together into one transaction per log: flushed when maxEvents
// are pending or maxDelayMs after the first one. The flush is synchronous (better-sqlite3), so a
// fast sender is held back by the store rather than buffered without bound.
import type { Logger } from "pino";
import type { ServerMetrics } from "../../metrics.js";
import type { NewEvent, Store } from "../../storage/store.js";

export const DEFAULT_BATCH_MAX_EVENTS = 10_000;
export const DEFAULT_BATCH_MAX_DELAY_MS = 50;

export interface BatcherOptions {
  store: Store;
  metrics: ServerMetrics;
  logger: Logger;
  protocol: string;
  maxEvents?: number;
  maxDelayMs?: number;
}

export class EventBatcher {
  private pending = new Map<string, NewEvent[]>();
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly maxEvents: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: BatcherOptions) {
    this.maxEvents = opts.maxEvents ?? DEFAULT_BATCH_MAX_EVENTS;
    this.maxDelayMs = opts.maxDelayMs ?? DEFAULT_BATCH_MAX_DELAY_MS;
  }

  add(logId: string, ev: NewEvent): void {
    let list = this.pending.get(logId);
    if (!list) this.pending.set(logId, (list = []));
    list.push(ev);
    if (++this.count >= this.maxEvents) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Stores everything pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.count === 0) return;
    const batches = this.pending;
    this.pending = new Map();
    this.count = 0;
    const { store, metrics, protocol, logger } = this.opts;
    for (const [logId, events] of batches) {
      try {
        const r = store.insert(logId, events);
        if (r.inserted > 0) metrics.ingestLines.inc({ protocol, result: "accepted", reason: "ok" }, r.inserted);
        if (r.duplicates > 0) metrics.ingestLines.inc({ protocol, result: "duplicate", reason: "ident" }, r.duplicates);
      } catch (err) {
        metrics.ingestLines.inc({ protocol, result: "rejected", reason: "store_error" }, events.length);
        logger.error({ err, protocol, events: events.length }, "could not store a batch of lines");
      }
    }
  }
}
