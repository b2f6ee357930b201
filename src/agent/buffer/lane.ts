// A lane: one sink with its disk buffer and dead-letter directory. The pipeline offers framed
// batches (appended durably, or refused when full under drop_newest); the sender reads records from
// the buffer in order, keeps up to maxInFlight of them at the sink, and acknowledges them to the
// buffer strictly in order, so a record is deleted only after the destination acknowledged it
// (or it went to the dead-letter directory). Damaged regions are reported and skipped.
import type { Logger } from "../logger.js";
import type { ShipMetrics } from "../metrics.js";
import type { BatchSink } from "../pipeline.js";
import { SinkRefusal } from "../sinks/refusal.js";
import type { DeadLetter } from "./dead-letter.js";
import type { BufferItem, Damage, DiskBuffer, FramedRecord } from "./disk-buffer.js";

export type WhenFull = "block" | "drop_newest";

export interface LaneOptions {
  name: string;
  sink: BatchSink;
  buffer: DiskBuffer;
  deadLetter: DeadLetter;
  log: Logger;
  metrics: ShipMetrics;
  maxInFlight: number;
  whenFull: WhenFull;
  /** A damaged region of the buffer was skipped (to record it in the state directory). */
  onDamage?: (lane: string, d: Damage) => void;
}

/** What happened to the entries handed to the destinations. */
export interface DeliveryCounts {
  entries: number;
  batches: number;
  accepted: number;
  duplicates: number;
  deadLettered: number;
  dropped: number;
  damaged: number;
}

export interface LaneStats extends DeliveryCounts {
  /** The last cursor acknowledged (in order). */
  lastAcked: string | undefined;
}

interface Slot {
  item: BufferItem;
  done: boolean;
  deadLettered?: boolean;
}

export class Lane {
  readonly name: string;
  readonly stats: LaneStats = { entries: 0, batches: 0, accepted: 0, duplicates: 0, deadLettered: 0, dropped: 0, damaged: 0, lastAcked: undefined };
  failure: unknown;
  private readonly o: LaneOptions;
  private readonly window: Slot[] = [];
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private onChange: (() => void) | undefined;

  constructor(o: LaneOptions) {
    this.o = o;
    this.name = o.name;
    this.updateGauge();
  }

  get buffer(): DiskBuffer {
    return this.o.buffer;
  }

  /** Nothing buffered, nothing in flight. */
  get idle(): boolean {
    return this.window.length === 0 && this.o.buffer.empty;
  }

  /** Called whenever something settles (the pipeline waits on it). */
  watch(f: () => void): void {
    this.onChange = f;
  }

  start(): void {
    this.loop ??= this.run().catch((e: unknown) => this.fail(e));
  }

  /**
   * Appends a framed batch durably. Under "block" waits for room ("stopped" when the signal
   * aborted first); under "drop_newest" returns "dropped" at once when it does not fit (counted).
   */
  async offer(rec: FramedRecord, entries: number, signal?: AbortSignal): Promise<"buffered" | "dropped" | "stopped"> {
    const b = this.o.buffer;
    if (!b.hasRoom(rec.size)) {
      if (this.o.whenFull === "drop_newest") {
        this.stats.dropped += entries;
        this.o.metrics.dropped.inc({ sink: this.name }, entries);
        this.o.log.warn({ sink: this.name, entries, buffered_bytes: b.bytes, max_bytes: b.maxBytes }, "the disk buffer is full: batch dropped (when_full=drop_newest)");
        return "dropped";
      }
      if (!(await b.waitForRoom(rec.size, signal))) return "stopped";
    }
    await b.append(rec);
    this.updateGauge();
    return "buffered";
  }

  private async run(): Promise<void> {
    const max = this.o.maxInFlight;
    while (!this.abort.signal.aborted && this.failure === undefined) {
      if (this.window.length >= max) {
        await this.waitChange();
        continue;
      }
      const item = await this.o.buffer.next(this.abort.signal);
      if (item === undefined) return;
      const slot: Slot = { item, done: false };
      this.window.push(slot);
      if (item.kind === "damage") {
        this.reportDamage(item.damage);
        slot.done = true;
        this.settle();
        continue;
      }
      this.o.metrics.sent.inc({ sink: this.name }, item.entries);
      this.o.sink.send(item.payload, item.entries).then(
        (ack) => {
          this.stats.accepted += ack.accepted;
          this.stats.duplicates += ack.duplicates;
          slot.done = true;
          this.settle();
        },
        (e: unknown) => {
          if (this.abort.signal.aborted) return;
          if (e instanceof SinkRefusal && e.scope === "batch") {
            try {
              const file = this.o.deadLetter.write(item.payload, item.entries, item.first, item.last, e.message);
              this.stats.deadLettered += item.entries;
              this.o.metrics.deadLettered.inc({ sink: this.name }, item.entries);
              this.o.log.error({ sink: this.name, entries: item.entries, first_cursor: item.first, last_cursor: item.last, dead_letter: `${this.o.deadLetter.dir}/${file}`, status: e.httpStatus, reason: e.message }, "the destination refused a batch for good: written to the dead-letter directory; continuing");
              slot.done = true;
              slot.deadLettered = true;
              this.settle();
            } catch (w) {
              this.fail(w);
            }
            return;
          }
          this.fail(e);
        },
      );
    }
  }

  private reportDamage(d: Damage): void {
    if (d.benign) {
      this.o.log.info({ sink: this.name, segment: d.segment, offset: d.offset, bytes: d.bytes }, "discarded a buffer record torn by a crash before its entries were checkpointed; they are read again from the journal");
      return;
    }
    this.stats.damaged++;
    this.o.metrics.damaged.inc({ sink: this.name });
    this.o.log.error(
      { sink: this.name, segment: d.segment, offset: d.offset, bytes: d.bytes, lost_after_cursor: d.lostAfter ?? null, lost_before_cursor: d.lostBefore ?? null, lost_through_cursor: d.lostThrough ?? null },
      "damaged records in the disk buffer (checksum mismatch or truncated): skipped; the entries between the cursors are lost",
    );
    this.o.onDamage?.(this.name, d);
  }

  /** Acknowledges to the buffer every finished slot at the head of the window, in order. */
  private settle(): void {
    while (this.window.length > 0 && this.window[0]!.done) {
      const { item, deadLettered } = this.window.shift()!;
      this.o.buffer.ack(item);
      if (item.kind === "record" && !deadLettered) {
        this.stats.entries += item.entries;
        this.stats.batches++;
        this.stats.lastAcked = item.last;
        this.o.metrics.acknowledged.inc({ sink: this.name }, item.entries);
      }
    }
    this.updateGauge();
    this.wake();
  }

  private fail(e: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = e;
    this.wake();
  }

  /** Entries handed to the sink and not acknowledged yet. */
  get inFlightEntries(): number {
    return this.window.reduce((n, s) => n + (s.item.kind === "record" && !s.done ? s.item.entries : 0), 0);
  }

  /** Stops sending: pending sends are abandoned (they stay in the buffer), the buffer is closed. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.o.sink.close();
    this.wake();
    await this.loop;
    await this.o.buffer.close();
  }

  private updateGauge(): void {
    this.o.metrics.bufferedBytes.set({ sink: this.name }, this.o.buffer.bytes);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
    this.onChange?.();
  }

  private waitChange(): Promise<void> {
    return new Promise<void>((r) => this.waiters.push(r));
  }
}
