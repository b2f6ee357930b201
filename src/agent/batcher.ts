// Groups entries into batches bounded by entry count and bytes. Entries are not copied: the batch
// keeps views of the buffers the parser produced, merging neighbours that are adjacent in memory
// (consecutive entries of one chunk), so adding an entry allocates nothing.
import type { ExportEntry } from "../core/journal/export-entry.js";

export interface BatchLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxEntries: 2000, maxBytes: 4 * 1024 * 1024 };

export interface Batch {
  entries: number;
  bytes: number;
  /** The entries' raw export bytes, in order; concatenated they are the batch body. */
  segments: Buffer[];
  /** The first entry. */
  first: ExportEntry;
  /** The last entry (its cursor is what the checkpoint moves to once the batch is acknowledged). */
  last: ExportEntry;
}

export class Batcher {
  private readonly limits: BatchLimits;
  private segments: Buffer[] = [];
  private segBuffer: ArrayBufferLike | undefined;
  private segStart = 0;
  private segEnd = 0;
  private count = 0;
  private bytes = 0;
  private first: ExportEntry | undefined;
  private last: ExportEntry | undefined;

  constructor(limits: BatchLimits = DEFAULT_BATCH_LIMITS) {
    this.limits = limits;
  }

  get size(): number {
    return this.count;
  }

  /** True when adding this entry would push a non-empty batch over the byte bound: take() first. */
  wouldOverflow(e: ExportEntry): boolean {
    return this.count > 0 && this.bytes + e.raw.length > this.limits.maxBytes;
  }

  /** Adds an entry; returns true when the batch reached a bound and should be taken. */
  add(e: ExportEntry): boolean {
    const r = e.raw;
    if (r.buffer === this.segBuffer && r.byteOffset === this.segEnd) {
      this.segEnd += r.length;
    } else {
      this.closeSegment();
      this.segBuffer = r.buffer;
      this.segStart = r.byteOffset;
      this.segEnd = r.byteOffset + r.length;
    }
    if (this.count === 0) this.first = e;
    this.count++;
    this.bytes += r.length;
    this.last = e;
    return this.count >= this.limits.maxEntries || this.bytes >= this.limits.maxBytes;
  }

  /** Removes and returns the batch built so far, or undefined when it is empty. */
  take(): Batch | undefined {
    if (this.count === 0 || this.last === undefined || this.first === undefined) return undefined;
    this.closeSegment();
    const batch: Batch = { entries: this.count, bytes: this.bytes, segments: this.segments, first: this.first, last: this.last };
    this.segments = [];
    this.segBuffer = undefined;
    this.count = 0;
    this.bytes = 0;
    this.first = undefined;
    this.last = undefined;
    return batch;
  }

  private closeSegment(): void {
    if (this.segBuffer !== undefined && this.segEnd > this.segStart) {
      this.segments.push(Buffer.from(this.segBuffer, this.segStart, this.segEnd - this.segStart));
    }
    this.segBuffer = undefined;
  }
}
