// Fast access to a few named fields of a raw entry for the transforms' hot path: the positions of
// the wanted fields, found by one scan shared by every transform (field-scan.ts) and remembered
// until the next scan. ExportEntry.get() is fine for one field; a transform reading fields of
// every entry uses this.
import type { ExportEntry } from "../../core/journal/export-entry.js";
import { FieldScanner, sharedScanner } from "./field-scan.js";

export class FieldLookup {
  /** Per wanted name: its value's start and end in the last scanned entry's raw bytes, -1 when absent. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  private raw: Buffer = Buffer.alloc(0);
  /** Each wanted name's slot in the shared scanner. */
  private readonly slots: Int32Array;
  private readonly scanner: FieldScanner;
  /**
   * For a lookup of one field: a scanner of its own, used when the shared one last scanned another
   * entry (looking for one name reads fewer bytes than looking for all of them, and an entry that
   * comes back after others, as multiline's held ones do, is scanned once more either way).
   */
  private readonly own: FieldScanner | undefined;

  constructor(names: readonly string[], scanner: FieldScanner = sharedScanner) {
    this.scanner = scanner;
    this.slots = Int32Array.from(names, (n) => scanner.register(n));
    this.start = new Int32Array(names.length);
    this.end = new Int32Array(names.length);
    if (names.length === 1) {
      this.own = new FieldScanner();
      this.own.register(names[0]!);
    }
  }

  /** Finds the first value of every wanted name in the entry (one shared scan, field-scan.ts). */
  scan(e: ExportEntry): this {
    const own = this.own;
    if (own !== undefined && !this.scanner.scanned(e)) {
      own.scan(e);
      this.raw = e.raw;
      this.start[0] = own.start[0]!;
      this.end[0] = own.end[0]!;
      return this;
    }
    const sc = this.scanner;
    sc.scan(e);
    this.raw = e.raw;
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      this.start[k] = sc.start[slots[k]!]!;
      this.end[k] = sc.end[slots[k]!]!;
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

  /**
   * The value read as a decimal integer (e.g. _PID, or __REALTIME_TIMESTAMP with 16 digits) without
   * decoding it; -1 when absent, not one, or longer than maxDigits.
   */
  integer(k: number, maxDigits = 15): number {
    const s = this.start[k]!;
    const e = this.end[k]!;
    if (s === -1 || e === s || e - s > maxDigits) return -1;
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
