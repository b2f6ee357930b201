// The durable disk buffer between the pipeline and one sink (docs/buffer-format.md): append-only
// segment files of checksummed records, bounded by maxBytes. append() returns once the record is
// on disk (fdatasync); next() hands records to the sender in order; ack() (in order) moves the
// acknowledged position, persisted in ack.json, and deletes segments wholly acknowledged. Records
// are never deleted before their acknowledgement. The records this run appended are also kept in
// memory (up to HOT_MAX_BYTES) until handed out, so a sender that keeps up never reads them back.
// A damaged region (bad checksum, torn or truncated record) is skipped, counted and reported with
// the cursors around it.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, fsyncSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic } from "../checkpoint.js";
import { isNoSpace } from "../no-space.js";
import { decodeBody, encodeRecord, HEADER_BYTES, headerBodyLength, MAGIC, recordSize, type RecordData } from "./record.js";

export const ACK_FILE = "ack.json";
export const SEGMENT_SUFFIX = ".seg";

export interface Damage {
  segment: string;
  offset: number;
  bytes: number;
  /** The last cursor of the intact record before the damage (undefined: not known). */
  lostAfter: string | undefined;
  /** The first cursor of the next intact record: entries strictly between are lost. */
  lostBefore: string | undefined;
  /** When the damage ends the data of an earlier run: entries after lostAfter up to this cursor are lost. */
  lostThrough: string | undefined;
  /** True when nothing was lost: a record torn by a crash before its entries were checkpointed. */
  benign: boolean;
}

export type BufferItem =
  | ({ kind: "record"; seg: number; end: number; size: number } & RecordData)
  | { kind: "damage"; seg: number; end: number; size: number; damage: Damage };

export interface DiskBufferOptions {
  dir: string;
  maxBytes: number;
  segmentBytes?: number;
  /** Appended records kept in memory for next(), in bytes at most (default HOT_MAX_BYTES; 0: none). */
  hotMaxBytes?: number;
  /** The checkpoint at open: a damaged tail of an earlier run lost the entries up to it. */
  checkpoint?: string | undefined;
}

interface Segment {
  id: number;
  size: number;
}

interface AckFile {
  version: 1;
  segment: number;
  offset: number;
  last_cursor: string | null;
}

/** Bytes of appended records kept in memory for next() (beyond that, records are read back from disk). */
export const HOT_MAX_BYTES = 32 * 1024 * 1024;

/** A framed record: its bytes, and what it holds. */
export interface FramedRecord {
  parts: Buffer[];
  size: number;
  entries: number;
  first: string;
  last: string;
  payload: Buffer[];
}

/** A record appended by this run and not yet handed out: where it lies and what it holds, without reading the file. */
interface HotRecord extends Omit<FramedRecord, "parts" | "size"> {
  seg: number;
  off: number;
  end: number;
}

const segName = (id: number) => `${String(id).padStart(16, "0")}${SEGMENT_SUFFIX}`;

/** Segment files in a buffer directory, oldest first. */
export function listSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d{16}\.seg$/.test(n))
    .map((n) => ({ id: Number(n.slice(0, 16)), size: statSync(join(dir, n)).size }))
    .sort((a, b) => a.id - b.id);
}

export function readAckFile(dir: string): AckFile | undefined {
  try {
    const j = JSON.parse(readFileSync(join(dir, ACK_FILE), "utf8")) as Partial<AckFile>;
    if (typeof j.segment === "number" && typeof j.offset === "number") {
      return { version: 1, segment: j.segment, offset: j.offset, last_cursor: typeof j.last_cursor === "string" ? j.last_cursor : null };
    }
  } catch {
    // missing or damaged: start from the oldest segment (at worst, records are sent twice)
  }
  return undefined;
}

export class DiskBuffer {
  readonly dir: string;
  readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly hotMaxBytes: number;
  private readonly segments: Segment[];
  /** The first segment written by this run; older ones are immutable. */
  private readonly firstOwnSeg: number;
  private readonly checkpointAtOpen: string | undefined;
  private active: Segment;
  private writer: FileHandle | undefined;
  private ackSeg: number;
  private ackOff: number;
  private ackLast: string | undefined;
  private readSeg: number;
  private readOff: number;
  private readLast: string | undefined;
  private reader: { id: number; fh: FileHandle } | undefined;
  private pendingDamage: Damage | undefined;
  private ackWriting: Promise<void> | undefined;
  private ackDirty = false;
  private waiters: (() => void)[] = [];
  private closed = false;
  private hot: HotRecord[] = [];
  private hotBytes = 0;
  peakBytes = 0;

  private constructor(o: DiskBufferOptions, segments: Segment[], ack: AckFile | undefined) {
    this.dir = o.dir;
    this.maxBytes = o.maxBytes;
    this.segmentBytes = o.segmentBytes ?? Math.max(256 * 1024, Math.min(64 * 1024 * 1024, Math.floor(o.maxBytes / 8)));
    this.checkpointAtOpen = o.checkpoint;
    this.hotMaxBytes = o.hotMaxBytes ?? HOT_MAX_BYTES;
    this.segments = segments;
    const first = segments[0];
    if (ack !== undefined && segments.some((s) => s.id === ack.segment)) {
      this.ackSeg = ack.segment;
      this.ackOff = ack.offset;
      this.ackLast = ack.last_cursor ?? undefined;
    } else {
      this.ackSeg = first?.id ?? 1;
      this.ackOff = 0;
      this.ackLast = ack?.last_cursor ?? undefined;
    }
    this.readSeg = this.ackSeg;
    this.readOff = this.ackOff;
    this.readLast = this.ackLast;
    const id = (segments[segments.length - 1]?.id ?? 0) + 1;
    this.active = { id, size: 0 };
    this.firstOwnSeg = id;
    segments.push(this.active);
    if (first === undefined) this.ackSeg = this.readSeg = id;
  }

  static async open(o: DiskBufferOptions): Promise<DiskBuffer> {
    mkdirSync(o.dir, { recursive: true });
    const ack = readAckFile(o.dir);
    const segments = listSegments(o.dir);
    // Segments wholly before the acknowledged position were acknowledged: a crash kept them.
    const keep = segments.filter((s) => ack === undefined || s.id >= ack.segment);
    for (const s of segments) if (!keep.includes(s)) unlinkSync(join(o.dir, segName(s.id)));
    const b = new DiskBuffer(o, keep, ack);
    b.writer = await open(join(o.dir, segName(b.active.id)), "a");
    syncDir(o.dir);
    b.normalizeAck();
    b.peakBytes = b.bytes;
    return b;
  }

  /** Bytes of records not yet acknowledged (damaged ones included until skipped). */
  get bytes(): number {
    let n = 0;
    for (const s of this.segments) if (s.id >= this.ackSeg) n += s.size;
    return n - this.ackOff;
  }

  /** True when nothing is waiting to be acknowledged. */
  get empty(): boolean {
    return this.bytes === 0;
  }

  /** Whether a record of this size fits now (an empty buffer takes any single record). */
  hasRoom(size: number): boolean {
    const b = this.bytes;
    return b === 0 || b + size <= this.maxBytes;
  }

  /** Waits until a record of this size fits, or the signal aborts (false). */
  async waitForRoom(size: number, signal?: AbortSignal): Promise<boolean> {
    while (!this.hasRoom(size)) {
      if (this.closed || signal?.aborted) return false;
      await this.waitChange(signal);
    }
    return true;
  }

  /** Frames a batch as a record (the size tells whether it fits before append). */
  static frame(entries: number, first: string, last: string, payload: Buffer[]): FramedRecord {
    const parts = encodeRecord(entries, first, last, payload);
    return { parts, size: recordSize(parts), entries, first, last, payload };
  }

  /** Appends a framed record; resolves once it is durable (fdatasync). */
  async append(rec: FramedRecord): Promise<void> {
    if (this.closed || this.writer === undefined) throw new Error(`${this.dir}: the buffer is closed`);
    const seg = this.active.id;
    const off = this.active.size;
    let parts = rec.parts;
    try {
      // writev takes at most IOV_MAX (1024) buffers per call.
      while (parts.length > 0) {
        const slice = parts.slice(0, 1024);
        parts = parts.slice(1024);
        await this.writer.writev(slice);
      }
      await this.writer.datasync();
    } catch (e) {
      // A write cut short (a full disk): take its bytes back, so a retry appends a whole record
      // where this one began, not after a torn one.
      await this.writer.truncate(off).catch(() => {});
      // Everything buffered is acknowledged, yet the disk is full: the active segment's acknowledged
      // bytes are what holds the space. Start a fresh segment and delete that one, then let the
      // caller retry.
      if (isNoSpace(e) && this.empty && this.active.size > 0) {
        await this.rotate().catch(() => {});
        this.ackSeg = this.active.id;
        this.ackOff = 0;
        this.hot = [];
        this.hotBytes = 0;
        this.normalizeAck();
        this.ackDirty = true;
        this.ackWriting ??= this.writeAck();
      }
      throw e;
    }
    this.active.size += rec.size;
    if (this.hotBytes + rec.size <= this.hotMaxBytes) {
      this.hot.push({ seg, off, end: off + rec.size, entries: rec.entries, first: rec.first, last: rec.last, payload: rec.payload });
      this.hotBytes += rec.size;
    }
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    if (this.active.size >= this.segmentBytes) await this.rotate();
    this.wake();
  }

  private async rotate(): Promise<void> {
    await this.writer?.close();
    this.active = { id: this.active.id + 1, size: 0 };
    this.segments.push(this.active);
    this.writer = await open(join(this.dir, segName(this.active.id)), "a");
    syncDir(this.dir);
  }

  /** The next record (or damaged region) after the last one handed out; waits for appends. */
  async next(signal?: AbortSignal): Promise<BufferItem | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      const seg = this.segments.find((s) => s.id === this.readSeg);
      if (seg === undefined) {
        const later = this.segments.find((s) => s.id > this.readSeg);
        if (later === undefined) return undefined;
        this.readSeg = later.id;
        this.readOff = 0;
        continue;
      }
      if (this.readOff >= seg.size) {
        if (seg === this.active) {
          this.resolveDamageAtOwnData();
          const d = this.takeResolvedDamage();
          if (d) return d;
          await this.waitChange(signal);
          continue;
        }
        const nextSeg = this.segments.find((s) => s.id > seg.id)!;
        this.readSeg = nextSeg.id;
        this.readOff = 0;
        continue;
      }
      const item = await this.readAt(seg);
      if (item !== undefined) return item;
    }
  }

  private async fileOf(id: number): Promise<FileHandle> {
    if (this.reader?.id === id) return this.reader.fh;
    await this.reader?.fh.close();
    this.reader = { id, fh: await open(join(this.dir, segName(id)), "r") };
    return this.reader.fh;
  }

  private async readExact(fh: FileHandle, len: number, pos: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === len ? buf : buf.subarray(0, got);
  }

  /** The record at the read position from memory, if this run appended it and it is still held. */
  private takeHot(seg: Segment): BufferItem | undefined {
    let h = this.hot[0];
    // Records the read position has passed (never, unless damage was skipped over them).
    while (h !== undefined && (h.seg < seg.id || (h.seg === seg.id && h.off < this.readOff))) {
      this.dropHot();
      h = this.hot[0];
    }
    if (h === undefined || h.seg !== seg.id || h.off !== this.readOff) return undefined;
    // Data of this run after damage: what was lost ends at the last run's checkpoint.
    this.resolveDamageAtOwnData();
    const d = this.takeResolvedDamage();
    if (d) return d;
    this.dropHot();
    this.readOff = h.end;
    this.readLast = h.last;
    const payload = h.payload.length === 1 ? h.payload[0]! : Buffer.concat(h.payload);
    return { kind: "record", seg: h.seg, end: h.end, size: h.end - h.off, entries: h.entries, first: h.first, last: h.last, payload };
  }

  private dropHot(): void {
    const h = this.hot.shift();
    if (h !== undefined) this.hotBytes -= h.end - h.off;
  }

  /** Reads the record at the read position, or handles a damaged region (then returns undefined or the damage). */
  private async readAt(seg: Segment): Promise<BufferItem | undefined> {
    const hot = this.takeHot(seg);
    if (hot !== undefined) return hot;
    const fh = await this.fileOf(seg.id);
    const off = this.readOff;
    const head = await this.readExact(fh, HEADER_BYTES, off);
    const n = headerBodyLength(head);
    if (n !== undefined && off + HEADER_BYTES + n <= seg.size) {
      const body = await this.readExact(fh, n, off + HEADER_BYTES);
      const data = body.length === n ? decodeBody(head, body) : undefined;
      if (data !== undefined) {
        const end = off + HEADER_BYTES + n;
        const before = this.pendingDamage;
        if (before !== undefined && before.lostBefore === undefined && before.lostThrough === undefined) {
          if (seg.id >= this.firstOwnSeg) this.resolveDamageAtOwnData();
          else before.lostBefore = data.first;
        }
        // Hand out the damage first (ending where this record starts); the record is read next.
        const d = this.takeResolvedDamage();
        if (d) return d;
        this.readOff = end;
        this.readLast = data.last;
        return { kind: "record", seg: seg.id, end, size: end - off, ...data };
      }
    }
    // Damage: find the next offset where an intact record starts.
    const rest = await this.readExact(fh, seg.size - off, off);
    let resume = rest.length;
    for (let at = rest.indexOf(MAGIC, 1); at >= 0; at = rest.indexOf(MAGIC, at + 1)) {
      const h = rest.subarray(at, at + HEADER_BYTES);
      const bl = headerBodyLength(h);
      if (bl === undefined || at + HEADER_BYTES + bl > rest.length) continue;
      if (decodeBody(h, rest.subarray(at + HEADER_BYTES, at + HEADER_BYTES + bl)) !== undefined) {
        resume = at;
        break;
      }
    }
    const d: Damage = this.pendingDamage ?? {
      segment: segName(seg.id),
      offset: off,
      bytes: 0,
      lostAfter: this.readLast,
      lostBefore: undefined,
      lostThrough: undefined,
      benign: false,
    };
    d.bytes += resume;
    this.pendingDamage = d;
    this.readOff = off + resume;
    return undefined;
  }

  /** Damage followed by data of this run: what was lost ends at the checkpoint of the last run. */
  private resolveDamageAtOwnData(): void {
    const d = this.pendingDamage;
    if (d === undefined || d.lostBefore !== undefined || d.lostThrough !== undefined) return;
    d.lostThrough = this.checkpointAtOpen;
    d.benign = this.checkpointAtOpen !== undefined && d.lostAfter === this.checkpointAtOpen;
    if (this.checkpointAtOpen === undefined) d.benign = true;
  }

  private takeResolvedDamage(): BufferItem | undefined {
    const d = this.pendingDamage;
    if (d === undefined || (d.lostBefore === undefined && d.lostThrough === undefined && !d.benign)) return undefined;
    this.pendingDamage = undefined;
    return { kind: "damage", seg: this.readSeg, end: this.readOff, size: d.bytes, damage: d };
  }

  /** Acknowledges items in the order next() handed them out. */
  ack(item: BufferItem): void {
    if (item.seg < this.ackSeg || (item.seg === this.ackSeg && item.end <= this.ackOff)) return;
    this.ackSeg = item.seg;
    this.ackOff = item.end;
    if (item.kind === "record") this.ackLast = item.last;
    this.normalizeAck();
    this.ackDirty = true;
    this.ackWriting ??= this.writeAck();
    this.wake();
  }

  /** Drops segments wholly acknowledged. */
  private normalizeAck(): void {
    for (;;) {
      const seg = this.segments.find((s) => s.id === this.ackSeg);
      if (seg !== undefined && (seg === this.active || this.ackOff < seg.size)) break;
      const nextSeg = this.segments.find((s) => s.id > this.ackSeg);
      if (nextSeg === undefined) break;
      this.ackSeg = nextSeg.id;
      this.ackOff = 0;
    }
    for (let i = 0; i < this.segments.length; ) {
      const s = this.segments[i]!;
      if (s.id < this.ackSeg) {
        this.segments.splice(i, 1);
        try {
          unlinkSync(join(this.dir, segName(s.id)));
        } catch {
          // gone already
        }
      } else i++;
    }
  }

  private async writeAck(): Promise<void> {
    try {
      while (this.ackDirty) {
        this.ackDirty = false;
        const a: AckFile = { version: 1, segment: this.ackSeg, offset: this.ackOff, last_cursor: this.ackLast ?? null };
        await writeAtomic(join(this.dir, ACK_FILE), JSON.stringify(a) + "\n");
      }
    } catch {
      // A lost ack.json update only means records are sent again (the server deduplicates).
    } finally {
      this.ackWriting = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hot = [];
    this.hotBytes = 0;
    this.wake();
    while (this.ackWriting !== undefined) await this.ackWriting;
    await this.writer?.close();
    this.writer = undefined;
    await this.reader?.fh.close();
    this.reader = undefined;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitChange(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
