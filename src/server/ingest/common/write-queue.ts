// The line protocols' bounded hand-off to the store's writer thread, shared by every listener of a
// server (token TCP/TLS/UDP, syslog, webhooks). It counts what was accepted and not yet committed
// (lines and bytes, from the moment a listener takes a line until its transaction commits) and the
// batches handed to the writer. Two bounds:
//   - maxBatchesInFlight: batches handed to the writer at once; more wait in their batcher, growing
//     (so under load each transaction holds what arrived while the previous ones were written);
//   - maxQueuedBytes / maxQueuedLines: when accepted-but-uncommitted bytes or lines reach either,
//     the queue is full: stream listeners pause reading their sockets (the sender is held back by
//     TCP), UDP drops and counts, webhooks answer 503. It is a high-water mark: a socket finishes the
//     chunk it was reading. The lines bound keeps small lines (whose events cost more memory than
//     their bytes) from filling memory: 3 full batches keep the writer busy (2 with it, 1 collecting).
//   - a store that cannot write (a full disk: Store.writeFault) makes the queue full too, until it
//     can again (polled), so TCP senders are held back rather than their lines lost one batch after another.
import type { LogharborError } from "../../../core/errors.js";
import type { EventBatch, InsertResult, Store } from "../../storage/store.js";

export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_QUEUED_LINES = 60_000;
export const DEFAULT_MAX_BATCHES_IN_FLIGHT = 2;

export interface WriteQueueOptions {
  /** Batches come from newBatch(); insertBatch must settle after the commit. */
  store: Pick<Store, "newBatch" | "insertBatch"> & Partial<Pick<Store, "writeFault">>;
  maxQueuedBytes?: number;
  maxQueuedLines?: number;
  maxBatchesInFlight?: number;
}

export class WriteQueue {
  readonly maxQueuedBytes: number;
  readonly maxQueuedLines: number;
  readonly maxBatchesInFlight: number;
  /** Accepted by a listener, not yet committed. */
  queuedBytes = 0;
  queuedLines = 0;
  /** The most bytes ever queued at once (the bound plus what readers finished reading). */
  peakQueuedBytes = 0;
  /** Batches handed to the writer and not settled. */
  inFlight = 0;
  private readonly store: WriteQueueOptions["store"];
  private faultPoll: NodeJS.Timeout | undefined;
  private roomWaiters: Array<() => void> = [];
  private notFullWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(o: WriteQueueOptions) {
    this.store = o.store;
    this.maxQueuedBytes = o.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.maxQueuedLines = o.maxQueuedLines ?? DEFAULT_MAX_QUEUED_LINES;
    this.maxBatchesInFlight = o.maxBatchesInFlight ?? DEFAULT_MAX_BATCHES_IN_FLIGHT;
  }

  /** True when readers must stop taking lines (pause, drop or refuse). */
  get full(): boolean {
    return this.queuedBytes >= this.maxQueuedBytes || this.queuedLines >= this.maxQueuedLines || this.storeFault !== undefined;
  }

  /** Why the store cannot write now (a full disk, a damaged database), or undefined. */
  get storeFault(): LogharborError | undefined {
    return this.store.writeFault?.();
  }

  /** True when one more batch may be handed to the writer. */
  get hasRoom(): boolean {
    return this.inFlight < this.maxBatchesInFlight;
  }

  /** A listener took a line: it counts until the batch holding it settles. */
  accept(bytes: number): void {
    this.queuedBytes += bytes;
    this.queuedLines++;
    if (this.queuedBytes > this.peakQueuedBytes) this.peakQueuedBytes = this.queuedBytes;
  }

  /**
   * Hands a batch to the writer (call only when hasRoom, or the in-flight bound is exceeded); the
   * promise settles after its commit. `bytes` is what accept() counted for these events.
   */
  /** A batch to collect events in (the store's own kind), for write(). */
  newBatch(): EventBatch {
    return this.store.newBatch();
  }

  write(logId: string, events: EventBatch, bytes: number): Promise<InsertResult> {
    this.inFlight++;
    let p: Promise<InsertResult>;
    try {
      p = this.store.insertBatch(logId, events);
    } catch (e) {
      p = Promise.reject(e as Error);
    }
    return p.finally(() => {
      this.inFlight--;
      this.queuedBytes -= bytes;
      this.queuedLines -= events.count;
      this.wake();
    });
  }

  /** Calls fn once, when a batch may be handed over (at once if it may now). */
  onRoom(fn: () => void): void {
    if (this.hasRoom) fn();
    else this.roomWaiters.push(fn);
  }

  /** Settles when the queue is no longer full. */
  whenNotFull(): Promise<void> {
    if (!this.full) return Promise.resolve();
    if (this.storeFault !== undefined && this.faultPoll === undefined) {
      // Nothing else would wake the waiters: the store recovers on its own (its write probe).
      this.faultPoll = setInterval(() => {
        if (this.storeFault !== undefined) return;
        clearInterval(this.faultPoll);
        this.faultPoll = undefined;
        this.wake();
      }, 250);
      this.faultPoll.unref();
    }
    return new Promise((r) => this.notFullWaiters.push(r));
  }

  /** Settles when no batch is with the writer. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private wake(): void {
    // Room first: a waiting batcher hands its next batch over before readers resume.
    while (this.hasRoom && this.roomWaiters.length > 0) this.roomWaiters.shift()!();
    if (!this.full && this.notFullWaiters.length > 0) {
      const w = this.notFullWaiters;
      this.notFullWaiters = [];
      for (const r of w) r();
    }
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }
}
