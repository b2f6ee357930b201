// source → batches → every sink's disk buffer → checkpoint; each sink's sender drains its buffer.
// Batches are bounded by entries, bytes and time (a quiet source still flushes within maxBatchMs).
// A batch is appended durably (fdatasync) to the buffer of every sink before the checkpoint moves
// past it: "acknowledged or durably buffered". The buffers' acknowledgements delete records, never
// the checkpoint. When a buffer is full under when_full=block, appending waits and the source is not
// read: the journal holds the backlog. A timer checkpoints the source's position when everything
// read is buffered (a heavily filtered source still checkpoints). With routes (transforms/route/),
// each lane is offered only the entries routed to it, as a record of its own; the checkpoint moves
// past a batch once every lane it had entries for holds them, and an entry routed nowhere is done.
import type { ExportEntry } from "../core/journal/export-entry.js";
import { Batcher, DEFAULT_BATCH_LIMITS, type BatchLimits } from "./batcher.js";
import { DiskBuffer } from "./buffer/disk-buffer.js";
import type { DeliveryCounts, Lane } from "./buffer/lane.js";
import type { Logger } from "./logger.js";
import type { ShipMetrics } from "./metrics.js";
import type { Source } from "./sources/source.js";
import type { Router } from "./transforms/route/route.js";
import type { TransformChain } from "./transforms/transform.js";
import type { FramedRecord } from "./buffer/disk-buffer.js";
import { isNoSpace, NO_SPACE_RETRY_MS } from "./no-space.js";

export interface Ack {
  accepted: number;
  duplicates: number;
}

export interface BatchSink {
  readonly display: string;
  /**
   * Resolves once the destination acknowledged the batch. Retriable failures are retried inside;
   * a permanent refusal rejects with a SinkRefusal (sinks/refusal.ts): scope "batch" sends it to
   * the dead-letter directory, anything else stops the agent (the batch stays buffered).
   */
  send(body: Buffer, entries: number): Promise<Ack>;
  close(): void;
}

export interface CheckpointWriter {
  save(cursor: string): void;
  flush(): Promise<void>;
}

export interface PipelineOptions {
  source: Source;
  lanes: Lane[];
  checkpoint: CheckpointWriter;
  log: Logger;
  metrics: ShipMetrics;
  limits?: BatchLimits;
  maxBatchMs?: number;
  /** How often the source position is checkpointed when everything read is buffered. */
  checkpointIntervalMs?: number;
  /** After stop(), how long the sinks may take to drain their buffers. */
  stopDeadlineMs?: number;
  /** Applied to every chunk read before batching (transforms/); none: entries go straight to the batcher. */
  transforms?: TransformChain | undefined;
  /** One route per lane, in the lanes' order: which entries each lane gets (none: every lane gets all). */
  routes?: Router | undefined;
}

/** Delivery counts summed over the destinations (entries: acknowledged), plus the source's side. */
export interface PipelineStats extends DeliveryCounts {
  /** Entries read from the source. */
  read: number;
  /** The cursor the checkpoint holds (or is being written). */
  cursor: string | undefined;
  /** Bytes left in the disk buffers at the end (sent on the next start). */
  leftBytes: number;
}

/** Batches appended to the buffers at once (in order) while the source keeps being read. */
const MAX_PENDING_FLUSHES = 3;
/** How often the transforms are asked for what they hold past its time (multiline timeouts). */
const TRANSFORM_TICK_MS = 100;

export class Pipeline {
  private readonly o: Required<Omit<PipelineOptions, "limits" | "transforms" | "routes">> & { limits: BatchLimits };
  /** The routes, when any lane takes only some entries. */
  private readonly router: Router | undefined;
  /** With routes: the entries of the batch being built (the batcher keeps only their bytes). */
  private routed: ExportEntry[] = [];
  /** The transforms, when any are configured. */
  private readonly chain: TransformChain | undefined;
  private transformTicker: NodeJS.Timeout | undefined;
  /** True while a chunk's entries are being added to the batcher (the transforms' output is in use). */
  private inChunk = false;
  /** With transforms: the cursor safe to save once the batcher's content is buffered. */
  private chainCursor: string | undefined;
  private readonly batcher: Batcher;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private stopTimer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private stopping = false;
  private deadlinePassed = false;
  private readonly stopAbort = new AbortController();
  private flushing: Promise<void> = Promise.resolve();
  private pendingFlushes = 0;
  /** The cursor of the newest entry read (for progress and lag). */
  lastRead: ExportEntry | undefined;
  /** The first entry read by this run (until something is acknowledged, the lag counts from it). */
  firstRead: ExportEntry | undefined;
  private readonly _stats: PipelineStats = { read: 0, entries: 0, batches: 0, accepted: 0, duplicates: 0, deadLettered: 0, dropped: 0, damaged: 0, cursor: undefined, leftBytes: 0 };

  constructor(opts: PipelineOptions) {
    this.o = { limits: DEFAULT_BATCH_LIMITS, maxBatchMs: 500, checkpointIntervalMs: 1000, stopDeadlineMs: 5000, ...opts };
    this.batcher = new Batcher(this.o.limits);
    this.chain = opts.transforms !== undefined && !opts.transforms.empty ? opts.transforms : undefined;
    if (opts.routes !== undefined && opts.routes.sinks.length !== opts.lanes.length) {
      throw new Error(`pipeline: ${opts.routes.sinks.length} routes for ${opts.lanes.length} destinations; expected one route per destination`);
    }
    this.router = opts.routes?.filtered ? opts.routes : undefined;
  }

  get lanes(): Lane[] {
    return this.o.lanes;
  }

  get stats(): PipelineStats {
    const s = this._stats;
    s.entries = s.batches = s.accepted = s.duplicates = s.deadLettered = s.dropped = s.damaged = 0;
    for (const l of this.o.lanes) {
      s.entries += l.stats.entries;
      s.batches += l.stats.batches;
      s.accepted += l.stats.accepted;
      s.duplicates += l.stats.duplicates;
      s.deadLettered += l.stats.deadLettered;
      s.dropped += l.stats.dropped;
      s.damaged += l.stats.damaged;
    }
    return s;
  }

  /**
   * Runs until the source ends and every buffer is drained (not following), or stop() was called
   * (the buffers given until the deadline). Rejects when a sink failed for good; what was buffered
   * stays buffered and is sent on the next start.
   */
  async run(): Promise<PipelineStats> {
    const { source, checkpoint, lanes } = this.o;
    for (const l of lanes) {
      l.watch(() => {
        void this.failed; // a failed lane closes the source, ending a read that waits for entries
        this.wake();
      });
      l.start();
    }
    this.ticker = setInterval(() => this.tickCheckpoint(), this.o.checkpointIntervalMs);
    this.ticker.unref();
    if (this.chain !== undefined) {
      this.transformTicker = setInterval(() => this.tickTransforms(false), TRANSFORM_TICK_MS);
      this.transformTicker.unref();
    }
    try {
      await this.readAll();
      this.clearTimer();
      this.tickTransforms(true);
      await this.flushBatch();
      if (this.chain !== undefined) this.tickCheckpoint(); // the cursor past what the transforms dropped
      await this.waitUntil(() => lanes.every((l) => l.idle));
    } finally {
      this.clearTimer();
      if (this.ticker) clearInterval(this.ticker);
      if (this.transformTicker) clearInterval(this.transformTicker);
      if (this.stopTimer) clearTimeout(this.stopTimer);
      source.close();
      this._stats.leftBytes = lanes.reduce((n, l) => n + l.buffer.bytes, 0);
      if (this._stats.leftBytes > 0) {
        this.o.log.warn({ bytes: this._stats.leftBytes, in_flight_entries: lanes.reduce((n, l) => n + l.inFlightEntries, 0) }, "stopping with entries in the disk buffer; they are sent on the next start");
      }
      for (const l of lanes) await l.stop();
      await checkpoint.flush();
    }
    if (this.failure !== undefined) throw this.failure;
    return this.stats;
  }

  /** Stops reading; what was read is buffered, and the buffers drain until the stop deadline. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.o.source.close();
    this.stopTimer = setTimeout(() => {
      this.deadlinePassed = true;
      this.stopAbort.abort();
      this.wake();
    }, this.o.stopDeadlineMs);
    this.wake();
  }

  private async readAll(): Promise<void> {
    const b = this.batcher;
    for await (const entries of this.o.source.read()) {
      this.o.metrics.read.inc(entries.length);
      this._stats.read += entries.length;
      const chain = this.chain;
      const out = chain === undefined ? entries : chain.apply(entries);
      this.inChunk = true;
      for (let i = 0; i < out.length; i++) {
        const e: ExportEntry = out[i]!;
        if (b.wouldOverflow(e)) await this.handOver();
        if (this.router !== undefined) this.routed.push(e);
        if (b.add(e)) await this.handOver();
        if (this.failed || this.stopping) break;
      }
      this.inChunk = false;
      this.lastRead = entries[entries.length - 1];
      this.firstRead ??= entries[0];
      if (chain !== undefined && !this.failed && !this.stopping) this.noteChainCursor(this.lastRead?.cursor ?? this.o.source.lastCursor);
      if (this.failed || this.stopping) return;
      if (b.size > 0 && this.timer === undefined) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flushBatch();
        }, this.o.maxBatchMs);
      }
    }
  }

  /**
   * With transforms, the checkpoint moves to a cursor the chain calls safe (nothing it holds lies
   * before it), noted when everything the chain emitted so far is in the batcher: a batch taken
   * later covers it. Entries that filters dropped or multiline joined never hold it back.
   */
  private noteChainCursor(newest: string | undefined): void {
    const c = this.chain!.checkpointCursor(newest);
    if (c !== null && c !== undefined) this.chainCursor = c;
  }

  /**
   * Emits what the transforms hold whose time has come (all of it when the source ended), between
   * chunks only. Not once stopping: a chunk may have been left half batched, and what the
   * transforms hold is read again after the checkpoint, which stays before it.
   */
  private tickTransforms(force: boolean): void {
    const chain = this.chain;
    if (chain === undefined || this.inChunk || this.stopping || this.failure !== undefined) return;
    const out = chain.flush(Date.now(), force);
    const b = this.batcher;
    for (const e of out) {
      if (b.wouldOverflow(e)) void this.flushBatch();
      if (this.router !== undefined) this.routed.push(e);
      if (b.add(e)) void this.flushBatch();
    }
    this.noteChainCursor(this.o.source.lastCursor);
    if (!force && b.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flushBatch();
      }, this.o.maxBatchMs);
    }
  }

  private get failed(): boolean {
    if (this.failure === undefined) {
      const l = this.o.lanes.find((x) => x.failure !== undefined);
      if (l !== undefined) {
        this.failure = l.failure;
        this.o.source.close();
      }
    }
    return this.failure !== undefined;
  }

  /**
   * Starts buffering the batch built so far and goes on reading while it is written and fsynced;
   * waits only when MAX_PENDING_FLUSHES batches are on their way to disk already (or a buffer is
   * full), which bounds memory and pauses the source.
   */
  private async handOver(): Promise<void> {
    void this.flushBatch();
    await this.waitUntil(() => this.pendingFlushes < MAX_PENDING_FLUSHES);
  }

  /** Takes the batch built so far and appends it to every buffer (serialized). */
  private flushBatch(): Promise<void> {
    this.clearTimer();
    const batch = this.batcher.take();
    if (batch === undefined) return this.flushing;
    const saveAt = this.chainCursor;
    // With routes: each lane's share of the batch as its own record (undefined: nothing for it).
    let shares: (RoutedShare | undefined)[] | undefined;
    if (this.router !== undefined) {
      shares = this.router.split(this.routed).map(frameShare);
      this.routed = [];
    }
    this.pendingFlushes++;
    this.flushing = this.flushing.then(async () => {
      try {
        if (this.failed) return;
        const last = this.chain === undefined ? batch.last.cursor : saveAt;
        const all = shares === undefined ? DiskBuffer.frame(batch.entries, batch.first.cursor ?? "", batch.last.cursor ?? "", batch.segments) : undefined;
        let stored = true;
        for (let i = 0; i < this.o.lanes.length; i++) {
          const share = shares === undefined ? { rec: all!, entries: batch.entries } : shares[i];
          if (share === undefined) continue;
          const r = await this.offerWhenSpace(this.o.lanes[i]!, share.rec, share.entries);
          if (r === "stopped") stored = false;
        }
        if (stored && last !== undefined) {
          this._stats.cursor = last;
          this.o.checkpoint.save(last);
        }
      } catch (e) {
        this.failure ??= e;
        this.o.source.close();
        this.wake();
      } finally {
        this.pendingFlushes--;
        this.wake();
      }
    });
    return this.flushing;
  }

  /**
   * Offers a batch to a lane; while the state directory's disk is full, keeps the batch and retries
   * every second (reading pauses: the batches on their way to disk are bounded), until space returns
   * or the agent stops (then the batch is read again from the journal on the next start).
   */
  private async offerWhenSpace(lane: Lane, rec: FramedRecord, entries: number): Promise<"buffered" | "dropped" | "stopped"> {
    for (;;) {
      try {
        const r = await lane.offer(rec, entries, this.stopAbort.signal);
        if (this.stateFull) {
          this.stateFull = false;
          this.o.metrics.stateFull.set(0);
          this.o.log.info({ sink: lane.name }, "the state directory has space again: buffering and reading resume");
        }
        return r;
      } catch (e) {
        if (!isNoSpace(e)) throw e;
        this.o.metrics.stateWriteFailures.inc({ what: "buffer" });
        if (!this.stateFull) {
          this.stateFull = true;
          this.o.metrics.stateFull.set(1);
          this.o.log.warn({ sink: lane.name, err: (e as Error).message }, "the state directory's disk is full: reading paused, the batch is kept and retried every second");
        }
        if (this.stopping) return "stopped";
        await new Promise<void>((r) => {
          const t = setTimeout(r, NO_SPACE_RETRY_MS);
          this.stopAbort.signal.addEventListener("abort", () => {
            clearTimeout(t);
            r();
          }, { once: true });
        });
        if (this.stopping) return "stopped";
      }
    }
  }

  /** True while the state directory's disk is full (reading paused). */
  stateFull = false;

  /** Everything read is buffered: the checkpoint may move to the source's position. */
  private tickCheckpoint(): void {
    if (this.stopping || this.batcher.size > 0 || this.pendingFlushes > 0 || this.failure !== undefined || this.inChunk) return;
    let c = this.o.source.lastCursor;
    if (this.chain !== undefined) {
      const safe = this.chain.checkpointCursor(c);
      if (safe === null) return;
      c = safe;
    }
    if (c !== undefined && c !== this._stats.cursor) {
      this._stats.cursor = c;
      this.o.checkpoint.save(c);
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits for the condition, a failure, or the stop deadline. */
  private async waitUntil(cond: () => boolean): Promise<void> {
    while (!cond() && !this.failed && !this.deadlinePassed) {
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

/** One lane's part of a routed batch. */
interface RoutedShare {
  rec: FramedRecord;
  entries: number;
}

/** A lane's entries framed as one record (their bytes merged where adjacent), or undefined for none. */
function frameShare(entries: readonly ExportEntry[]): RoutedShare | undefined {
  if (entries.length === 0) return undefined;
  const b = new Batcher({ maxEntries: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER });
  for (const e of entries) b.add(e);
  const batch = b.take()!;
  return { rec: DiskBuffer.frame(batch.entries, batch.first.cursor ?? "", batch.last.cursor ?? "", batch.segments), entries: batch.entries };
}
