// The live-tail bus: every committed insert, whatever the ingest protocol, reaches the store's
// onInserted hook; the hub subscribes to it only while someone tails, queues the batch and, off the
// ingest path (setImmediate), hands each subscriber the events that pass its filter.
import type { Store, StoredEvent } from "../storage/store.js";
import type { QueryPlan } from "../query/plan.js";
import type { FoundEvent } from "../query/execute/index.js";
import { eventFilter, type EventFilter } from "../query/event-filter.js";
import { onInsertedLater } from "../storage/inserted-later.js";

export interface TailFilter {
  /** Log ids to follow; empty = all. */
  logIds: string[];
  /** The where() part of a planned query. */
  plan?: QueryPlan;
}

interface Subscriber {
  passing: EventFilter;
  send(events: FoundEvent[]): void;
}

export class TailHub {
  private readonly subscribers = new Set<Subscriber>();
  private unhook: (() => void) | undefined;

  constructor(private readonly store: Store) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Calls `send` with the matching events of every insert from now on; returns the unsubscribe function. */
  subscribe(filter: TailFilter, send: (events: FoundEvent[]) => void): () => void {
    const sub: Subscriber = { passing: eventFilter(filter.logIds, filter.plan), send };
    this.subscribers.add(sub);
    this.unhook ??= onInsertedLater(this.store, (batches) => this.drain(batches));
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0 && this.unhook) {
        this.unhook();
        this.unhook = undefined;
      }
    };
  }

  private drain(batches: StoredEvent[][]): void {
    for (const sub of this.subscribers) {
      const out: FoundEvent[] = [];
      for (const batch of batches) {
        for (const e of batch) {
          const v = sub.passing(e);
          if (v) out.push(v);
        }
      }
      if (out.length > 0) {
        try {
          sub.send(out);
        } catch {
          // A subscriber that cannot take events is removed by its own close handler.
        }
      }
    }
  }
}

/** Stored events (newest by time) examined at most when resuming a tail. */
export const RESUME_SCAN_MAX = 200_000;
/** Events sent at most when resuming a tail (the newest of them when more arrived meanwhile). */
export const RESUME_SEND_MAX = 5000;
/** How far before the last event seen a resumed tail looks for events stored meanwhile. */
export const RESUME_LOOKBACK_US = 3600e6;

/**
 * The events stored after the one with id `lastId` that pass the filter, in the order they were
 * stored (ids increase in insertion order): what a tail that lost its connection missed. Looks at the
 * events timed from an hour before the last one seen (from an hour ago if that one is gone) to the end.
 * `skipped`: more matched than RESUME_SEND_MAX; only the newest are returned.
 */
export function storedSince(store: Store, lastId: number, filter: TailFilter, nowUs: number): { events: FoundEvent[]; skipped: number } {
  const last = store.eventById(lastId);
  const fromUs = (last?.tsUs ?? nowUs) - RESUME_LOOKBACK_US;
  const passing = eventFilter(filter.logIds, filter.plan);
  const found: FoundEvent[] = [];
  let scanned = 0;
  const where = filter.plan?.where;
  for (const e of store.iterateEvents({ logIds: filter.logIds, fromUs, toUs: Number.MAX_SAFE_INTEGER, order: "desc", ...(where ? { where } : {}) })) {
    if (++scanned > RESUME_SCAN_MAX) break;
    if (e.id <= lastId) continue;
    const v = passing(e);
    if (v) found.push(v);
  }
  found.sort((a, b) => a.id - b.id);
  const skipped = Math.max(0, found.length - RESUME_SEND_MAX);
  return { events: skipped > 0 ? found.slice(skipped) : found, skipped };
}
