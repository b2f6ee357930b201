// One open journal file: its header (re-read to follow a file being written), its entries by index
// and their export form. Identified by device and inode, so a file journald renames when it
// archives it (system.journal → system@….journal) is the same file, and one deleted under the
// reader (vacuum) is still read to its end through the open descriptor.
import { closeSync, fstatSync, openSync } from "node:fs";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { buildEntry, dropFieldCache, newFieldCache, type BuildContext } from "./export-builder.js";
import { EntryArrays } from "./entry-arrays.js";
import { HEADER_READ_BYTES, parseHeader, type Header } from "./header.js";
import { JournalFileError } from "./journal-file-error.js";
import { readEntry, type EntryHead, type FileGeometry } from "./objects.js";
import { PositionalReader } from "./positional-reader.js";

export interface EntryRef {
  head: EntryHead;
  /** Offsets of the entry's DATA objects, in its order. */
  items: number[];
}

export class JournalFile {
  path: string;
  readonly key: string;
  header: Header;
  /**
   * Entries known complete in every file of the journal when they were counted: those counted by
   * the previous pass over all headers (see FilesSource.refresh). Entries beyond wait a pass.
   */
  safeEntries: number;
  private readonly fd: number;
  private readonly geometry: FileGeometry;
  private readonly arrays: EntryArrays;
  private readonly ctx: BuildContext;
  private closed = false;

  private constructor(path: string, fd: number, maxFieldBytes: number) {
    this.path = path;
    this.fd = fd;
    const st = fstatSync(fd);
    this.key = `${st.dev}:${st.ino}`;
    const reader = new PositionalReader(fd);
    const b = reader.direct(0, HEADER_READ_BYTES);
    this.header = parseHeader(b, path, st.size);
    this.safeEntries = this.header.nEntries;
    this.geometry = { path, reader, headerSize: this.header.headerSize, fileSize: st.size, compact: this.header.compact };
    reader.stableEnd = this.stableEnd();
    this.arrays = new EntryArrays(this.geometry, () => this.header.entryArrayOffset);
    this.ctx = { g: this.geometry, seqnumIdHex: Buffer.from(this.header.seqnumId, "latin1"), cache: newFieldCache(), maxFieldBytes };
  }

  /** Opens and checks a journal file; throws JournalFileError (or the fs error) when it cannot be read. */
  static open(path: string, maxFieldBytes: number): JournalFile {
    const fd = openSync(path, "r");
    try {
      return new JournalFile(path, fd, maxFieldBytes);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get nEntries(): number {
    return this.header.nEntries;
  }

  get seqnumId(): string {
    return this.header.seqnumId;
  }

  /** Whether journald (or journal-remote) may still append to it. */
  get writable(): boolean {
    return this.header.state !== "ARCHIVED";
  }

  private stableEnd(): number {
    return this.header.state === "ARCHIVED" ? Number.POSITIVE_INFINITY : this.header.tailObjectOffset;
  }

  /** Re-reads the header and size; returns whether anything a reader sees changed. */
  refresh(): boolean {
    if (this.closed) return false;
    const st = fstatSync(this.fd);
    const b = this.geometry.reader.direct(0, HEADER_READ_BYTES);
    const h = parseHeader(b, this.path, st.size);
    if (h.seqnumId !== this.header.seqnumId || h.fileId !== this.header.fileId) throw new JournalFileError(this.path, 24, "the file's ids changed under the reader (it was overwritten in place)");
    const changed = h.nEntries !== this.header.nEntries || h.state !== this.header.state || st.size !== this.geometry.fileSize || h.tailObjectOffset !== this.header.tailObjectOffset;
    this.header = h;
    this.geometry.fileSize = st.size;
    this.geometry.reader.stableEnd = this.stableEnd();
    this.geometry.reader.revalidate();
    this.arrays.forgetBeyond(h.nEntries);
    return changed;
  }

  /**
   * Entry i (i < nEntries), or undefined when a file being written does not show it completely
   * yet (retry later). Throws JournalFileError for what cannot be read.
   */
  entry(i: number): EntryRef | undefined {
    const offset = this.arrays.offsetOf(i);
    if (offset === undefined) {
      if (this.writable) return undefined;
      throw new JournalFileError(this.path, this.header.entryArrayOffset, `entry ${i} of ${this.nEntries} is missing from the entry arrays`);
    }
    return readEntry(this.geometry, offset);
  }

  /** The entry in export form (a promise only when a payload is XZ-compressed). */
  build(ref: EntryRef): ExportEntry | Promise<ExportEntry> {
    return buildEntry(this.ctx, ref.head, ref.items);
  }

  /** The first index in [from, nEntries) whose entry satisfies pred, assuming pred is monotone (bisection). */
  bisect(from: number, pred: (h: EntryHead) => boolean): number {
    let lo = from;
    let hi = this.nEntries;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const e = this.entry(mid);
      if (e === undefined) {
        hi = mid;
        continue;
      }
      if (pred(e.head)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.geometry.reader.release();
    dropFieldCache(this.ctx.cache);
    closeSync(this.fd);
  }
}
