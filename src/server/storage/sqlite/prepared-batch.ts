// A batch of events made ready for the writer on the caller's thread: the fields parsed from each
// message, the batch's minute-rollup groups, and the rows packed for the crossing to the writer
// thread: every text of the batch in one string and the numbers in typed arrays. Copying a few
// large values between threads costs little; 80,000 small ones (10,000 rows of 8 columns) cost the
// writer thread 7.5 ms a batch before it could start (measured), more than a tenth of its time.
import type { EventBatch, NewEvent } from "../store.js";
import { eventParsedFields, recordParsedFields } from "../message-fields.js";
import { RollupCollector, type RollupSummary } from "./minute-rollup.js";

/** Texts per row in PackedBatch.text, in this order. */
const TEXTS = 4;
const NONE = -1;

export interface PackedBatch {
  /** The log's sequence number. */
  seq: number;
  count: number;
  ts: Float64Array;
  /** -1 = none. */
  priority: Int32Array;
  /** Positions in hostNames / unitNames, -1 = none. */
  host: Int32Array;
  unit: Int32Array;
  hostNames: string[];
  unitNames: string[];
  /** Each row's ident, message, fields JSON and parsed fields JSON, one after the other. */
  text: string;
  /** Their lengths, TEXTS a row; -1 = no parsed fields. */
  lengths: Int32Array;
  rollup: RollupSummary;
}

/** One row of a packed batch, read back. */
export interface BatchRow {
  ts: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  ident: string;
  message: string;
  fields: string;
  parsed: string | null;
}

/** Positions of names in a batch, each name once. */
class NameTable {
  readonly names: string[] = [];
  private readonly at = new Map<string, number>();
  private lastName: string | null = null;
  private lastAt = NONE;

  indexOf(name: string | null): number {
    if (name === null) return NONE;
    if (name === this.lastName) return this.lastAt;
    let i = this.at.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.at.set(name, i);
    }
    this.lastName = name;
    this.lastAt = i;
    return i;
  }
}

/** Rows whose texts are joined into one string as the batch fills (see BatchBuilder). */
const JOIN_ROWS = 256;

/**
 * Packs events as they are added, for a store batch that fills over many network reads (a journal
 * batch, the line protocols' group commit). Each event is taken apart at once: its numbers go to
 * typed arrays, its texts are joined with the others every JOIN_ROWS rows. So the batch holds a few
 * large strings rather than tens of thousands of objects and small strings that outlive several
 * young-generation collections and all get copied and then marked (measured: the garbage
 * collector took a third of the main thread's time storing journal batches).
 */
export class BatchBuilder implements EventBatch {
  count = 0;
  private ts = new Float64Array(1024);
  private priority = new Int32Array(1024);
  private host = new Int32Array(1024);
  private unit = new Int32Array(1024);
  private lengths = new Int32Array(1024 * TEXTS);
  private readonly hosts = new NameTable();
  private readonly units = new NameTable();
  private readonly rollup = new RollupCollector();
  private pending: string[] = [];
  private readonly chunks: string[] = [];

  add(ev: NewEvent): void {
    const i = this.count++;
    if (i === this.ts.length) this.grow();
    const fromMessage = eventParsedFields(ev.message, ev.attributes);
    const fields = ev.record === undefined ? fromMessage : recordParsedFields(ev.record, fromMessage);
    const p = fields === undefined ? null : JSON.stringify(fields);
    this.rollup.add(ev.tsUs, ev.host, ev.unit, ev.priority, fields);
    this.ts[i] = ev.tsUs;
    this.priority[i] = ev.priority ?? NONE;
    this.host[i] = this.hosts.indexOf(ev.host);
    this.unit[i] = this.units.indexOf(ev.unit);
    const o = i * TEXTS;
    this.lengths[o] = ev.ident.length;
    this.lengths[o + 1] = ev.message.length;
    this.lengths[o + 2] = ev.fieldsJson.length;
    this.lengths[o + 3] = p === null ? NONE : p.length;
    this.pending.push(ev.ident, ev.message, ev.fieldsJson);
    if (p !== null) this.pending.push(p);
    if (this.count % JOIN_ROWS === 0) {
      this.chunks.push(this.pending.join(""));
      this.pending = [];
    }
  }

  /** The batch for the log with this sequence number; add nothing after. */
  finish(seq: number): PackedBatch {
    const n = this.count;
    if (this.pending.length > 0) this.chunks.push(this.pending.join(""));
    this.pending = [];
    return {
      seq, count: n, ts: this.ts.slice(0, n), priority: this.priority.slice(0, n), host: this.host.slice(0, n), unit: this.unit.slice(0, n),
      hostNames: this.hosts.names, unitNames: this.units.names, text: this.chunks.join(""), lengths: this.lengths.slice(0, n * TEXTS),
      rollup: this.rollup.summary(),
    };
  }

  private grow(): void {
    const more = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.ts = more(this.ts, (n) => new Float64Array(n));
    this.priority = more(this.priority, (n) => new Int32Array(n));
    this.host = more(this.host, (n) => new Int32Array(n));
    this.unit = more(this.unit, (n) => new Int32Array(n));
    this.lengths = more(this.lengths, (n) => new Int32Array(n));
  }
}

/** A builder holding these events. */
export function batchOf(events: readonly NewEvent[]): BatchBuilder {
  const b = new BatchBuilder();
  for (const ev of events) b.add(ev);
  return b;
}

export function prepareBatch(seq: number, events: readonly NewEvent[]): PackedBatch {
  return batchOf(events).finish(seq);
}

/** The buffers a packed batch can hand over to another thread instead of copying them. */
export function transferables(b: PackedBatch): ArrayBuffer[] {
  return [b.ts.buffer, b.priority.buffer, b.host.buffer, b.unit.buffer, b.lengths.buffer] as ArrayBuffer[];
}

/** Reads the rows back, in order, calling `row` with each and its position. */
export function forEachRow(b: PackedBatch, row: (r: BatchRow, i: number) => void): void {
  let pos = 0;
  const { text, lengths } = b;
  const take = (len: number): string => {
    const s = text.slice(pos, pos + len);
    pos += len;
    return s;
  };
  for (let i = 0; i < b.count; i++) {
    const o = i * TEXTS;
    const ident = take(lengths[o]!);
    const message = take(lengths[o + 1]!);
    const fields = take(lengths[o + 2]!);
    const pl = lengths[o + 3]!;
    const parsed = pl === NONE ? null : take(pl);
    const h = b.host[i]!;
    const u = b.unit[i]!;
    const p = b.priority[i]!;
    row({
      ts: b.ts[i]!, host: h === NONE ? null : b.hostNames[h]!, unit: u === NONE ? null : b.unitNames[u]!, priority: p === NONE ? null : p,
      ident, message, fields, parsed,
    }, i);
  }
}

/**
 * The batch narrowed to the rows at `keep` (ascending positions): what the writer stores when the
 * dedupe index turned some rows away (prepared again: rare, so simple).
 */
export function keepRows(b: PackedBatch, keep: readonly number[]): PackedBatch {
  const events: NewEvent[] = [];
  let k = 0;
  forEachRow(b, (r, i) => {
    if (keep[k] !== i) return;
    k++;
    // The stored parsed fields go back as attributes: parsing the message again gives the same, so
    // a protocol's structured fields are kept.
    const ev: NewEvent = { ident: r.ident, tsUs: r.ts, host: r.host, unit: r.unit, priority: r.priority, message: r.message, fieldsJson: r.fields };
    if (r.parsed !== null) ev.attributes = JSON.parse(r.parsed) as Record<string, string | number>;
    events.push(ev);
  });
  return prepareBatch(b.seq, events);
}
