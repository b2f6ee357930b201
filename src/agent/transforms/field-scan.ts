// One pass over an entry's index finding every field name any transform asked for (their union,
// registered as the transforms are built), remembered for the last entry scanned: the filter,
// multiline and redact of one chain read the same entry one after the other (TransformChain runs
// each entry through the whole chain before the next), so the entry is scanned once, not once per
// transform. Names are compared as bytes in JavaScript (no Buffer views, no calls into C++): a
// field whose name length no wanted name has is skipped without reading its bytes (the lengths are
// in the entry's index), and a table indexed by (name length, first byte) skips most others with
// one read.
import type { ExportEntry } from "../../core/journal/export-entry.js";

const MAX_NAME = 64;

export class FieldScanner {
  /** Per registered name: its first value's start and end in the last scanned entry's raw bytes, -1 when absent. */
  start = new Int32Array(0);
  end = new Int32Array(0);
  private readonly names: Uint8Array[] = [];
  private readonly slots = new Map<string, number>();
  /** (length, first byte) → slot + 1 of the one name with both, 0 for none, -1 when several share them. */
  private readonly table = new Int16Array((MAX_NAME + 1) * 256);
  /** Per name length: 1 when a registered name has it. */
  private readonly lengths = new Uint8Array(MAX_NAME + 1);
  private last: ExportEntry | undefined;

  /** The slot of a name (the same for every caller asking for it). */
  register(name: string): number {
    let slot = this.slots.get(name);
    if (slot !== undefined) return slot;
    slot = this.names.length;
    const n = new Uint8Array(Buffer.from(name, "latin1"));
    this.names.push(n);
    this.slots.set(name, slot);
    if (n.length > 0 && n.length <= MAX_NAME) {
      this.lengths[n.length] = 1;
      const t = n.length * 256 + n[0]!;
      this.table[t] = this.table[t] === 0 ? slot + 1 : -1;
    }
    this.start = new Int32Array(this.names.length).fill(-1);
    this.end = new Int32Array(this.names.length);
    this.last = undefined;
    return slot;
  }

  /** Whether this entry is the one scanned last. */
  scanned(e: ExportEntry): boolean {
    return e === this.last;
  }

  /** Finds the first value of every registered name (nothing to do when this entry was the last scanned). */
  scan(e: ExportEntry): void {
    if (e === this.last) return;
    this.last = e;
    const ix = e.index;
    const raw = e.raw;
    const table = this.table;
    const lengths = this.lengths;
    const start = this.start;
    const end = this.end;
    start.fill(-1);
    let missing = this.names.length;
    for (let i = 0; i < ix.length && missing > 0; i += 5) {
      const ns = ix[i]!;
      const len = ix[i + 1]! - ns;
      if (len > MAX_NAME || lengths[len] === 0) continue;
      const t = table[len * 256 + raw[ns]!]!;
      if (t === 0) continue;
      if (t > 0) {
        const k = t - 1;
        if (start[k] === -1 && this.sameName(k, raw, ns, len)) {
          start[k] = ix[i + 2]!;
          end[k] = ix[i + 3]!;
          missing--;
        }
        continue;
      }
      for (let k = 0; k < this.names.length; k++) {
        if (start[k] === -1 && this.names[k]!.length === len && this.sameName(k, raw, ns, len)) {
          start[k] = ix[i + 2]!;
          end[k] = ix[i + 3]!;
          missing--;
          break;
        }
      }
    }
  }

  private sameName(k: number, raw: Buffer, ns: number, len: number): boolean {
    const n = this.names[k]!;
    let j = 1;
    while (j < len && raw[ns + j] === n[j]) j++;
    return j === len;
  }
}

/** The scanner every FieldLookup of the process shares. */
export const sharedScanner = new FieldScanner();
