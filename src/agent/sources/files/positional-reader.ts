// Reads a journal file through positional reads into a few fixed windows (what mmap gives journald
// and journalctl, without mapping whole files): memory stays bounded whatever the file's size.
// A file being written changes under the reader: bytes at or beyond `stableEnd` (the tail object
// the header named when last read) are never kept in a window, so an object written later is
// read afresh, never from a stale copy of the zeros that preceded it.
import { readSync } from "node:fs";

export const WINDOW_BYTES = 256 * 1024;
/** Windows kept across every open file (LRU): 32 × 256 KiB = 8 MiB at most. */
const MAX_WINDOWS = 32;

interface Window {
  owner: PositionalReader;
  start: number;
  buf: Buffer;
  /** Bytes read into buf (fewer at the end of the file). */
  got: number;
  /** Bytes of buf that may be served from the cache: read, and below the owner's stableEnd when read. */
  valid: number;
  /** For the LRU: the last use. */
  used: number;
}

/** All windows of all readers, at most MAX_WINDOWS. */
const pool: Window[] = [];
let clock = 0;

export class PositionalReader {
  /** Bytes below this are complete objects and may be cached (Infinity for a file no longer written). */
  stableEnd = Number.POSITIVE_INFINITY;
  /** Where the bytes asked for by the last view() begin in the buffer it returned. */
  at = 0;
  /** How many of the bytes asked for by the last view() exist (fewer at the end of the file). */
  got = 0;
  private last: Window | undefined;
  private readonly mine: Window[] = [];

  constructor(private readonly fd: number) {}

  /**
   * The bytes [pos, pos + len) as buffer[this.at, this.at + this.got): the buffer is a window or a
   * new buffer, valid until the next read through any reader (copy what you keep).
   */
  view(pos: number, len: number): Buffer {
    const w = this.last;
    if (w !== undefined && pos >= w.start && pos + len <= w.start + w.valid) {
      this.at = pos - w.start;
      this.got = len;
      return w.buf;
    }
    const wStart = pos - (pos % WINDOW_BYTES);
    if (pos + len > wStart + WINDOW_BYTES || pos + len > this.stableEnd) {
      const b = this.direct(pos, len);
      this.at = 0;
      this.got = b.length;
      return b;
    }
    let hit: Window | undefined;
    for (const m of this.mine) if (m.start === wStart) hit = m;
    if (hit === undefined || pos + len > hit.start + hit.valid) hit = this.fill(wStart, hit);
    hit.used = ++clock;
    this.last = hit;
    this.at = pos - wStart;
    this.got = Math.max(0, Math.min(len, hit.got - this.at));
    return hit.buf;
  }

  /** The bytes [pos, pos + len) as their own buffer view (shorter at the end of the file); see view(). */
  read(pos: number, len: number): Buffer {
    const b = this.view(pos, len);
    return b.subarray(this.at, this.at + this.got);
  }

  /** The bytes read now, into a new buffer (for what changes under the reader, or is large). */
  direct(pos: number, len: number): Buffer {
    const out = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, out, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    return got === len ? out : out.subarray(0, got);
  }

  private fill(start: number, w: Window | undefined): Window {
    if (w === undefined) {
      if (pool.length < MAX_WINDOWS) {
        w = { owner: this, start, buf: Buffer.allocUnsafeSlow(WINDOW_BYTES), got: 0, valid: 0, used: 0 };
        pool.push(w);
      } else {
        w = pool.reduce((a, b) => (b.used < a.used ? b : a));
        const prev = w.owner;
        const i = prev.mine.indexOf(w);
        if (i >= 0) prev.mine.splice(i, 1);
        if (prev.last === w) prev.last = undefined;
        w.owner = this;
        w.start = start;
      }
      this.mine.push(w);
    }
    let got = 0;
    while (got < WINDOW_BYTES) {
      const n = readSync(this.fd, w.buf, got, WINDOW_BYTES - got, start + got);
      if (n === 0) break;
      got += n;
    }
    w.got = got;
    w.valid = Math.max(0, Math.min(got, this.stableEnd - start));
    return w;
  }

  /** Forgets windows that may hold bytes beyond the new stableEnd (call after lowering or moving it). */
  revalidate(): void {
    for (const w of this.mine) w.valid = Math.max(0, Math.min(w.valid, this.stableEnd - w.start));
  }

  /** Gives this reader's windows back (the file is closed). */
  release(): void {
    for (const w of this.mine) {
      w.used = 0;
      w.valid = 0;
      w.got = 0;
    }
    this.mine.length = 0;
    this.last = undefined;
  }
}
