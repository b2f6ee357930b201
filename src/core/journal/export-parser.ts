// Streaming parser for the journal export format (systemd's "Journal Export Format"):
//   NAME=value\n                         a text field
//   NAME\n <u64 little-endian size> bytes \n   a binary-safe field
//   \n                                   ends the entry
// Binary-safe: values may hold any byte, including newlines and NUL. Chunks may split anything.
import { LogharborError } from "../errors.js";
import { ExportEntry } from "./export-entry.js";

export const DEFAULT_MAX_ENTRY_BYTES = 128 * 1024 * 1024;
const NL = 10;
const EQ = 61;
const MAX_NAME = 64;

export interface ExportParserOptions {
  /** An entry larger than this is an error (LH_ERR_ENTRY_TOO_LARGE). */
  maxEntryBytes?: number;
}

function isNameByte(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (c >= 97 && c <= 122);
}

export class ExportParser {
  private readonly maxEntryBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes that must be buffered before parsing the incomplete entry can make progress. */
  private need = 0;
  /** Bytes consumed before the current buffer (for error positions). */
  private consumed = 0;

  constructor(opts: ExportParserOptions = {}) {
    this.maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  }

  /** Bytes held for an entry not yet complete. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Feeds a chunk; returns the entries it completed, in order. Throws LogharborError on malformed input. */
  push(chunk: Buffer): ExportEntry[] {
    if (chunk.length === 0) return [];
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.need) {
      if (this.pendingBytes > this.maxEntryBytes + 64) this.tooLarge(this.pendingBytes);
      return [];
    }
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const out: ExportEntry[] = [];
    const rest = this.parse(buf, out);
    this.consumed += rest;
    if (rest >= buf.length) {
      this.pending = [];
      this.pendingBytes = 0;
    } else {
      const tail = buf.subarray(rest);
      if (tail.length > this.maxEntryBytes) this.tooLarge(tail.length);
      this.pending = [tail];
      this.pendingBytes = tail.length;
    }
    return out;
  }

  /** Call at end of input: throws if an entry was left incomplete (ignoring trailing blank lines). */
  end(): ExportEntry[] {
    if (this.pendingBytes === 0) return [];
    // An entry not followed by a blank line at the very end is accepted when its last field is whole.
    const out = this.push(Buffer.from("\n"));
    if (this.pendingBytes > 0) {
      throw new LogharborError(
        "LH_ERR_EXPORT_FORMAT",
        `journal export: input ends inside an entry (${this.pendingBytes} bytes after byte ${this.consumed} never completed); each field must end with a newline and each entry with a blank line`,
      );
    }
    return out;
  }

  private tooLarge(size: number): never {
    throw new LogharborError(
      "LH_ERR_ENTRY_TOO_LARGE",
      `journal export: entry at byte ${this.consumed} is larger than the limit of ${this.maxEntryBytes} bytes (got at least ${size})`,
      { status: 413 },
    );
  }

  private malformed(at: number, what: string): never {
    throw new LogharborError("LH_ERR_EXPORT_FORMAT", `journal export: ${what} at byte ${this.consumed + at}`, {
      position: this.consumed + at,
    });
  }

  /** Parses whole entries from buf into out; returns the offset where the first incomplete entry starts. */
  private parse(buf: Buffer, out: ExportEntry[]): number {
    const len = buf.length;
    let entryStart = 0;
    let p = 0;
    let index: number[] = [];
    this.need = 0;
    for (;;) {
      if (p >= len) break;
      if (p - entryStart > this.maxEntryBytes) this.tooLarge(p - entryStart);
      if (buf[p] === NL) {
        // Blank line: ends the entry (or is a stray separator between entries).
        p++;
        if (index.length > 0) {
          out.push(new ExportEntry(buf.subarray(entryStart, p), index));
          index = [];
        }
        entryStart = p;
        continue;
      }
      // Field name: scan up to '=' (text field) or '\n' (binary field).
      let q = p;
      let c = -1;
      while (q < len) {
        c = buf[q]!;
        if (c === EQ || c === NL) break;
        if (!isNameByte(c)) this.malformed(q, `invalid character 0x${c.toString(16).padStart(2, "0")} in a field name (expected A-Z, 0-9 or _)`);
        q++;
        if (q - p > MAX_NAME) this.malformed(p, `field name longer than ${MAX_NAME} characters`);
      }
      if (q >= len) break; // name incomplete
      if (q === p) this.malformed(p, "empty field name");
      if (c === EQ) {
        const nl = buf.indexOf(NL, q + 1);
        if (nl < 0) break;
        index.push(p - entryStart, q - entryStart, q + 1 - entryStart, nl - entryStart, 0);
        p = nl + 1;
      } else {
        // Binary field: NAME\n, 64-bit little-endian length, data, \n
        const sizeAt = q + 1;
        if (sizeAt + 8 > len) {
          this.need = sizeAt + 8 - entryStart;
          break;
        }
        const size = buf.readUInt32LE(sizeAt) + buf.readUInt32LE(sizeAt + 4) * 0x100000000;
        if (size > this.maxEntryBytes) this.tooLarge(size);
        const vs = sizeAt + 8;
        const ve = vs + size;
        if (ve + 1 > len) {
          this.need = ve + 1 - entryStart;
          break;
        }
        if (buf[ve] !== NL) this.malformed(ve, `binary field value of ${size} bytes not followed by a newline`);
        index.push(p - entryStart, q - entryStart, vs - entryStart, ve - entryStart, 1);
        p = ve + 1;
      }
    }
    return entryStart;
  }
}

/** Parses a whole export-format buffer. */
export function parseExport(data: Buffer, opts?: ExportParserOptions): ExportEntry[] {
  const p = new ExportParser(opts);
  const out = p.push(data);
  for (const e of p.end()) out.push(e);
  return out;
}
