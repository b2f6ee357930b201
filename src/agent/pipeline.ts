// source → batches → sink → checkpoint. Batches are bounded by entries, bytes and time (a quiet
// source still flushes within maxBatchMs). A few batches are in flight at once; acknowledgements
// move the checkpoint strictly in order, so the saved cursor never passes an unacknowledged entry.
// Reading stops while the window is full: that is the backpressure reaching the source.
import type { ExportEntry } from "../core/journal/export-entry.js";
import { Batcher, DEFAULT_BATCH_LIMITS, type BatchLimits } from "./batcher.js";
import type { Logger } from "./logger.js";
import type { Source } from "./sources/source.js";

export interface Ack {
  accepted: number;
  duplicates: number;
}

export interface BatchSink {
  readonly display: string;
  /** Resolves once the destination acknowledged the batch; rejects when it refused it for good. */
  send(body: Buffer, entries: number): Promise<Ack>;
  close(): void;
}

export interface CheckpointWriter {
  save(cursor: string): void;
  flush(): Promise<void>;
}

export interface PipelineOptions {
  source: Source;
  sink: BatchSink;
  checkpoint: CheckpointWriter;
  log: Logger;
  limits?: BatchLimits;
  maxBatchMs?: number;
  maxInFlight?: number;
  /** After stop(), how long in-flight batches may take to be acknowledged. */
  stopDeadlineMs?: number;
}

export interface PipelineStats {
  /** Entries acknowledged by the destination. */
  entries: number;
  batches: number;
  accepted: number;
  duplicates: number;
  /** The cursor the checkpoint holds (or is being written). */
  cursor: string | undefined;
  /** Entries sent but not acknowledged when the stop deadline passed (they are read again next time). */
  abandoned: number;
}

interface Slot {
  entries: number;
  cursor: string | undefined;
  ack?: Ack;
}

export class Pipeline {
  private readonly o: Required<Omit<PipelineOptions, "limits">> & { limits: BatchLimits };
  private readonly batcher: Batcher;
  private readonly inflight: Slot[] = [];
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private stopping = false;
  private deadlinePassed = false;
  private warnedNoCursor = false;
  readonly stats: PipelineStats = { entries: 0, batches: 0, accepted: 0, duplicates: 0, cursor: undefined, abandoned: 0 };

  constructor(opts: PipelineOptions) {
    this.o = { limits: DEFAULT_BATCH_LIMITS, maxBatchMs: 500, maxInFlight: 3, stopDeadlineMs: 5000, ...opts };
    this.batcher = new Batcher(this.o.limits);
  }

  /**
   * Runs until the source ends (everything acknowledged) or stop() was called (in-flight batches
   * given until the deadline). Rejects when the sink refused a batch for good; the checkpoint then
   * holds everything acknowledged before it.
   */
  async run(): Promise<PipelineStats> {
    const { source, checkpoint } = this.o;
    try {
      await this.readAll();
      if (this.failure === undefined) {
        this.submit();
        await this.waitUntil(() => this.inflight.length === 0);
      }
    } finally {
      this.clearTimer();
      source.close();
      if (this.inflight.length > 0) {
        this.stats.abandoned = this.inflight.reduce((n, s) => n + s.entries, 0);
        this.o.log.warn({ batches: this.inflight.length, entries: this.stats.abandoned }, "stopping with batches not acknowledged; they will be read again on the next start");
      }
      this.o.sink.close();
      await checkpoint.flush();
    }
    if (this.failure !== undefined) throw this.failure;
    return this.stats;
  }

  /** Stops reading; what was read is sent and acknowledged within the stop deadline. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.o.source.close();
    const t = setTimeout(() => {
      this.deadlinePassed = true;
      this.wake();
    }, this.o.stopDeadlineMs);
    t.unref();
    this.wake();
  }

  private async readAll(): Promise<void> {
    const b = this.batcher;
    const max = this.o.maxInFlight;
    for await (const entries of this.o.source.read()) {
      for (let i = 0; i < entries.length; i++) {
        const e: ExportEntry = entries[i]!;
        if (b.wouldOverflow(e)) {
          this.submit();
          if (this.inflight.length >= max) await this.waitUntil(() => this.inflight.length < max || this.stopping);
        }
        if (b.add(e)) {
          this.submit();
          if (this.inflight.length >= max) await this.waitUntil(() => this.inflight.length < max || this.stopping);
        }
        if (this.failure !== undefined || this.stopping) return;
      }
      if (b.size > 0 && this.timer === undefined) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.submit();
        }, this.o.maxBatchMs);
      }
      if (this.stopping) return;
    }
  }

  private submit(): void {
    this.clearTimer();
    const batch = this.batcher.take();
    if (batch === undefined || this.failure !== undefined) return;
    const cursor = batch.last.cursor;
    const body = batch.segments.length === 1 ? batch.segments[0]! : Buffer.concat(batch.segments, batch.bytes);
    const slot: Slot = { entries: batch.entries, cursor };
    this.inflight.push(slot);
    this.o.sink.send(body, batch.entries).then(
      (ack) => {
        slot.ack = ack;
        this.settle();
      },
      (e: unknown) => {
        if (this.failure === undefined && !this.deadlinePassed) {
          this.failure = e;
          this.o.source.close();
        }
        this.wake();
      },
    );
  }

  /** Moves the checkpoint past every acknowledged batch at the head of the window. */
  private settle(): void {
    let moved: string | undefined;
    while (this.inflight.length > 0 && this.inflight[0]!.ack !== undefined) {
      const s = this.inflight.shift()!;
      this.stats.entries += s.entries;
      this.stats.batches++;
      this.stats.accepted += s.ack!.accepted;
      this.stats.duplicates += s.ack!.duplicates;
      if (s.cursor !== undefined) moved = s.cursor;
      else if (!this.warnedNoCursor) {
        this.warnedNoCursor = true;
        this.o.log.warn({}, "entries without __CURSOR were shipped; the checkpoint cannot move past them");
      }
    }
    if (moved !== undefined) {
      this.stats.cursor = moved;
      this.o.checkpoint.save(moved);
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits for the condition, a failure, or the stop deadline. */
  private async waitUntil(cond: () => boolean): Promise<void> {
    while (!cond() && this.failure === undefined && !this.deadlinePassed) {
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
