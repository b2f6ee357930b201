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
  /**
   * The incomplete entry's bytes, buf[0, len): a buffer of its own that grows by doubling, so
   * appending a chunk costs the chunk's size, and parsing resumes where it stopped (each byte is
   * looked at about once, whatever the entry's size and however it is chunked).
   */
  private buf: Buffer = Buffer.alloc(0);
  private len = 0;
  /** Where parsing resumes in buf: the start of the first field not yet complete. */
  private p = 0;
  /** The complete fields of the incomplete entry (offsets into buf). */
  private index: number[] = [];
  /** An incomplete text field: buf was searched for its newline up to here. */
  private scanned = 0;
  /** Bytes that must be buffered before parsing the incomplete entry can make progress. */
  private need = 0;
  /** Bytes consumed before the current buffer (for error positions). */
  private consumed = 0;
  /** An error found after entries that were complete: those are returned first, the error on the next call. */
  private failure: Error | undefined;

  constructor(opts: ExportParserOptions = {}) {
    this.maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  }

  /** Bytes held for an entry not yet complete. */
  get bufferedBytes(): number {
    return this.len;
  }

  /**
   * Feeds a chunk; returns the entries it completed, in order. Throws LogharborError on malformed
   * input — after returning the entries complete before it, if any: then at the next push() or end().
   */
  push(chunk: Buffer): ExportEntry[] {
    if (this.failure) throw this.failure;
    if (chunk.length === 0) return [];
    let data: Buffer;
    let dataLen: number;
    if (this.len === 0) {
      // Nothing held: parse the chunk itself (entries wholly inside it are not copied).
      data = chunk;
      dataLen = chunk.length;
    } else {
      this.append(chunk);
      if (this.len > this.maxEntryBytes + 64) this.tooLarge(this.len);
      if (this.len < this.need) return [];
      data = this.buf.subarray(0, this.len);
      dataLen = this.len;
    }
    const out: ExportEntry[] = [];
    let rest: number;
    try {
      rest = this.parse(data, dataLen, out);
    } catch (e) {
      // The entries complete before the error are returned (a streaming receiver keeps them).
      if (out.length === 0) throw e;
      this.failure = e as Error;
      return out;
    }
    this.consumed += rest;
    if (rest >= dataLen) {
      this.buf = Buffer.alloc(0);
      this.len = 0;
      this.p = 0;
      this.index = [];
      this.scanned = 0;
    } else if (data === chunk || rest > 0) {
      // Keep the incomplete entry in a buffer of its own (entries handed out keep theirs).
      const tail = dataLen - rest;
      if (tail > this.maxEntryBytes + 64) this.tooLarge(tail);
      const next = Buffer.allocUnsafe(Math.max(2 * tail, 64 * 1024));
      data.copy(next, 0, rest, dataLen);
      this.buf = next;
      this.len = tail;
    }
    return out;
  }

  private append(chunk: Buffer): void {
    if (this.len + chunk.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.len + chunk.length, 64 * 1024));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    chunk.copy(this.buf, this.len);
    this.len += chunk.length;
  }

  /** Call at end of input: throws if an entry was left incomplete (ignoring trailing blank lines). */
  end(): ExportEntry[] {
    if (this.failure) throw this.failure;
    if (this.len === 0) return [];
    // An entry not followed by a blank line at the very end is accepted when its last field is whole.
    const out = this.push(Buffer.from("\n"));
    if (this.len > 0) {
      throw new LogharborError(
        "LH_ERR_EXPORT_FORMAT",
        `journal export: input ends inside an entry (${this.len} bytes after byte ${this.consumed} never completed); each field must end with a newline and each entry with a blank line`,
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

  /**
   * Parses whole entries from buf[0, len) into out, resuming the held entry's state (at offset 0);
   * returns the offset where the first incomplete entry starts, with its state saved relative to it.
   */
  private parse(buf: Buffer, len: number, out: ExportEntry[]): number {
    let entryStart = 0;
    let p = this.p;
    let index = this.index;
    let scanned = this.scanned;
    this.need = 0;
    const save = (): number => {
      this.p = p - entryStart;
      this.index = index;
      this.scanned = scanned > entryStart ? scanned - entryStart : 0;
      return entryStart;
    };
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
        scanned = 0;
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
        // Resuming a long value: search only the bytes not searched yet.
        const from = Math.max(q + 1, scanned);
        const nl = from < len ? buf.indexOf(NL, from) : -1;
        if (nl < 0) {
          scanned = len;
          break;
        }
        scanned = 0;
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
    return save();
  }
}

/** Parses a whole export-format buffer. */
export function parseExport(data: Buffer, opts?: ExportParserOptions): ExportEntry[] {
  const p = new ExportParser(opts);
  const out = p.push(data);
  for (const e of p.end()) out.push(e);
  return out;
}
