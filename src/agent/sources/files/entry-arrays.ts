// The file's entries in order: the header's entry_array_offset starts a chain of ENTRY_ARRAY
// objects (each with the offset of the next), whose items are the offsets of the ENTRY objects
// (32-bit in compact files, 64-bit otherwise); the first n_entries items are the entries. journald
// writes an item before it counts it in n_entries, so items below n_entries are final: they are
// read in chunks and kept; the chain's last link and anything beyond n_entries are read afresh.
import { JournalFileError } from "./journal-file-error.js";
import { u64 } from "./header.js";
import { ENTRY_ARRAY_HEADER_BYTES, OBJECT_ENTRY_ARRAY, objectAt, type FileGeometry } from "./objects.js";

const CHUNK_ITEMS = 2048;

interface ArrayLink {
  offset: number;
  /** Index of the array's first item among all entries. */
  first: number;
  capacity: number;
}

export class EntryArrays {
  private readonly links: ArrayLink[] = [];
  private chunkFrom = 0;
  private chunk: number[] = [];
  private readonly itemBytes: number;

  constructor(private readonly g: FileGeometry, private readonly rootOffset: () => number) {
    this.itemBytes = g.compact ? 4 : 8;
  }

  /**
   * The offset of entry i (i < n_entries), or undefined when the file being written does not yet
   * show it completely (a link or item still zero): the caller retries later.
   */
  offsetOf(i: number): number | undefined {
    const cached = i - this.chunkFrom;
    if (cached >= 0 && cached < this.chunk.length) return this.chunk[cached];
    const link = this.linkFor(i);
    if (link === undefined) return undefined;
    const from = i;
    const n = Math.min(CHUNK_ITEMS, link.first + link.capacity - i);
    const at = link.offset + ENTRY_ARRAY_HEADER_BYTES + (i - link.first) * this.itemBytes;
    const b = this.g.reader.direct(at, n * this.itemBytes);
    const got = Math.floor(b.length / this.itemBytes);
    const items: number[] = [];
    for (let k = 0; k < got; k++) {
      const v = this.itemBytes === 4 ? b.readUInt32LE(k * 4) : u64(b, k * 8, "entry array item", this.g.path, at + k * 8);
      if (v === 0) break;
      items.push(v);
    }
    this.chunkFrom = from;
    this.chunk = items;
    return items[0];
  }

  /** Forgets items not yet counted when they were read (the count grew: they may be set now). */
  forgetBeyond(nEntries: number): void {
    if (this.chunkFrom + this.chunk.length > nEntries) this.chunk = this.chunk.slice(0, Math.max(0, nEntries - this.chunkFrom));
  }

  private linkFor(i: number): ArrayLink | undefined {
    for (;;) {
      const last = this.links[this.links.length - 1];
      if (last !== undefined && i < last.first + last.capacity) {
        // Binary search over the links (a chain of growing arrays: a few dozen links at most).
        let lo = 0;
        let hi = this.links.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (this.links[mid]!.first <= i) lo = mid;
          else hi = mid - 1;
        }
        return this.links[lo];
      }
      const next = last === undefined ? this.rootOffset() : this.nextOf(last);
      if (next === 0) return undefined;
      if (this.links.some((l) => l.offset === next)) throw new JournalFileError(this.g.path, next, "the entry array chain loops back on itself");
      const o = objectAt(this.g, next, OBJECT_ENTRY_ARRAY, ENTRY_ARRAY_HEADER_BYTES);
      const capacity = Math.floor((o.size - ENTRY_ARRAY_HEADER_BYTES) / this.itemBytes);
      if (capacity === 0) throw new JournalFileError(this.g.path, next, "an ENTRY_ARRAY object without room for any item");
      this.links.push({ offset: next, first: last === undefined ? 0 : last.first + last.capacity, capacity });
    }
  }

  private nextOf(link: ArrayLink): number {
    const b = this.g.reader.direct(link.offset + 16, 8);
    if (b.length < 8) return 0;
    return u64(b, 0, "next_entry_array_offset", this.g.path, link.offset + 16);
  }
}
