// Fast access to a few named fields of a raw entry for the transforms' hot path: one pass over the
// entry's index comparing names as bytes in JavaScript (no Buffer views, no calls into C++), the
// positions remembered until the next scan. ExportEntry.get() is fine for one field; a transform
// reading several fields of every entry uses this.
import type { ExportEntry } from "../../core/journal/export-entry.js";

const NONE: number[] = [];

export class FieldLookup {
  /** Per wanted name: its value's start and end in the last scanned entry's raw bytes, -1 when absent. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  private readonly names: Uint8Array[];
  private raw: Buffer = Buffer.alloc(0);

  /** Per name length, the indexes of the wanted names of that length. */
  private readonly byLength: number[][] = [];

  constructor(names: readonly string[]) {
    this.names = names.map((n) => new Uint8Array(Buffer.from(n, "latin1")));
    this.start = new Int32Array(names.length);
    this.end = new Int32Array(names.length);
    for (let i = 0; i <= 64; i++) this.byLength.push([]);
    this.names.forEach((n, k) => this.byLength[Math.min(n.length, 64)]!.push(k));
  }

  /** Finds the first value of every wanted name in the entry. */
  scan(e: ExportEntry): this {
    const ix = e.index;
    const raw = e.raw;
    const names = this.names;
    this.raw = raw;
    this.start.fill(-1);
    let missing = names.length;
    for (let i = 0; i < ix.length && missing > 0; i += 5) {
      const ns = ix[i]!;
      const len = ix[i + 1]! - ns;
      const ks = len <= 64 ? this.byLength[len]! : NONE;
      for (let m = 0; m < ks.length; m++) {
        const k = ks[m]!;
        const n = names[k]!;
        if (this.start[k] !== -1 || raw[ns] !== n[0]) continue;
        let j = 1;
        while (j < len && raw[ns + j] === n[j]) j++;
        if (j === len) {
          this.start[k] = ix[i + 2]!;
          this.end[k] = ix[i + 3]!;
          missing--;
          break;
        }
      }
    }
    return this;
  }

  has(k: number): boolean {
    return this.start[k] !== -1;
  }

  /** The value decoded as UTF-8, or undefined. */
  text(k: number): string | undefined {
    const s = this.start[k]!;
    return s === -1 ? undefined : this.raw.toString("utf8", s, this.end[k]);
  }

  /** The value as Latin-1 (byte-exact; for ASCII keys and patterns), or undefined. */
  latin1(k: number): string | undefined {
    const s = this.start[k]!;
    return s === -1 ? undefined : this.raw.toString("latin1", s, this.end[k]);
  }

  length(k: number): number {
    const s = this.start[k]!;
    return s === -1 ? -1 : this.end[k]! - s;
  }

  /** The byte at offset `at` of the value, or -1 past its end or when absent. */
  byte(k: number, at: number): number {
    const s = this.start[k]!;
    return s === -1 || s + at >= this.end[k]! ? -1 : this.raw[s + at]!;
  }

  /** The value read as a decimal integer (e.g. _PID) without decoding it; -1 when absent or not one. */
  integer(k: number): number {
    const s = this.start[k]!;
    const e = this.end[k]!;
    if (s === -1 || e === s || e - s > 15) return -1;
    let n = 0;
    for (let i = s; i < e; i++) {
      const d = this.raw[i]! - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }

  /**
   * The value decoded as UTF-8 through a small cache of recent values compared byte for byte, for
   * fields with few distinct values (units, hosts): no decoding when the value was seen lately.
   */
  cachedText(k: number, cache: TextCache): string | undefined {
    const s = this.start[k]!;
    if (s === -1) return undefined;
    const e = this.end[k]!;
    const raw = this.raw;
    const len = e - s;
    for (let c = 0; c < cache.bytes.length; c++) {
      const b = cache.bytes[c]!;
      if (b.length !== len) continue;
      let j = 0;
      while (j < len && raw[s + j] === b[j]) j++;
      if (j === len) return cache.texts[c];
    }
    const text = raw.toString("utf8", s, e);
    const slot = cache.next++ % 16;
    cache.bytes[slot] = new Uint8Array(raw.subarray(s, e));
    cache.texts[slot] = text;
    return text;
  }

  /** Whether the value equals `v` (ASCII). */
  equals(k: number, v: string): boolean {
    const s = this.start[k]!;
    if (s === -1 || this.end[k]! - s !== v.length) return false;
    for (let j = 0; j < v.length; j++) if (this.raw[s + j] !== v.charCodeAt(j)) return false;
    return true;
  }

  /** Whether the value starts with `v` (ASCII). */
  startsWith(k: number, v: string): boolean {
    const s = this.start[k]!;
    if (s === -1 || this.end[k]! - s < v.length) return false;
    for (let j = 0; j < v.length; j++) if (this.raw[s + j] !== v.charCodeAt(j)) return false;
    return true;
  }
}

/** Recently decoded values of one field (FieldLookup.cachedText). */
export class TextCache {
  readonly bytes: Uint8Array[] = [];
  readonly texts: string[] = [];
  next = 0;
}
