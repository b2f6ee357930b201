// One journal entry in the journal export format, kept as its raw bytes plus an index of where each
// field's name and value lie. Nothing is decoded until asked for: the agent forwards `raw` as it
// came and reads only the few fields it needs (the cursor, the timestamp), which is what lets it
// ship faster than agents that read JSON.
import { isUtf8 } from "node:buffer";
import { FIELD_CURSOR, FIELD_REALTIME_TIMESTAMP } from "./fields.js";

/** A field value: a string when it is valid UTF-8, the raw bytes otherwise. */
export type FieldValue = string | Buffer;
/** All fields of an entry; a field the entry holds several times maps to an array. */
export type FieldMap = Record<string, FieldValue | FieldValue[]>;

const nameCache = new Map<string, Buffer>();
function nameBytes(name: string): Buffer {
  let b = nameCache.get(name);
  if (b === undefined) {
    b = Buffer.from(name, "latin1");
    if (nameCache.size < 4096) nameCache.set(name, b);
  }
  return b;
}

export class ExportEntry {
  /** The entry's export-format bytes, including the blank line that ends it. */
  readonly raw: Buffer;
  /**
   * Where each field lies in `raw`: five numbers a field — name start, name end, value start,
   * value end, 1 if binary-encoded. Read-only; lets hot paths avoid a Buffer per field.
   */
  readonly index: readonly number[];
  private cursorCache: string | undefined;

  /** `cursor`: the entry's __CURSOR when the producer knows it already (saves finding it again). */
  constructor(raw: Buffer, index: readonly number[], cursor?: string) {
    this.raw = raw;
    this.index = index;
    this.cursorCache = cursor;
  }

  get fieldCount(): number {
    return this.index.length / 5;
  }

  private find(name: string, from = 0): number {
    const nb = nameBytes(name);
    const ix = this.index;
    const raw = this.raw;
    for (let i = from; i < ix.length; i += 5) {
      const s = ix[i]!;
      const e = ix[i + 1]!;
      if (e - s === nb.length && raw[s] === nb[0] && raw.compare(nb, 0, nb.length, s, e) === 0) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.find(name) >= 0;
  }

  /** The first value of a field as bytes. */
  getBytes(name: string): Buffer | undefined {
    const i = this.find(name);
    return i < 0 ? undefined : this.raw.subarray(this.index[i + 2]!, this.index[i + 3]!);
  }

  /** The first value of a field decoded as UTF-8 (invalid sequences become U+FFFD). */
  get(name: string): string | undefined {
    const i = this.find(name);
    return i < 0 ? undefined : this.raw.toString("utf8", this.index[i + 2]!, this.index[i + 3]!);
  }

  get cursor(): string | undefined {
    if (this.cursorCache === undefined) this.cursorCache = this.get(FIELD_CURSOR);
    return this.cursorCache;
  }

  /** __REALTIME_TIMESTAMP in microseconds since the epoch, or undefined when absent or not a number. */
  get realtimeUs(): number | undefined {
    const v = this.get(FIELD_REALTIME_TIMESTAMP);
    if (v === undefined || !/^\d{1,17}$/.test(v)) return undefined;
    return Number(v);
  }

  /** Calls fn for every field in order: name, value bytes, whether it was binary-encoded. */
  forEachField(fn: (name: string, value: Buffer, binary: boolean) => void): void {
    const ix = this.index;
    for (let i = 0; i < ix.length; i += 5) {
      fn(this.raw.toString("latin1", ix[i]!, ix[i + 1]!), this.raw.subarray(ix[i + 2]!, ix[i + 3]!), ix[i + 4] === 1);
    }
  }

  /** Every field decoded: strings where the bytes are valid UTF-8, Buffers (copies) where not. */
  toFieldMap(): FieldMap {
    const out: FieldMap = Object.create(null) as FieldMap;
    this.forEachField((name, value) => {
      const v: FieldValue = isUtf8(value) ? value.toString("utf8") : Buffer.from(value);
      const prev = out[name];
      if (prev === undefined) out[name] = v;
      else if (Array.isArray(prev)) prev.push(v);
      else out[name] = [prev, v];
    });
    return out;
  }
}
