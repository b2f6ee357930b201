// A batch of events made ready for the writer on the caller's thread: the fields parsed from each
// message, the batch's minute-rollup groups, and the rows packed for the crossing to the writer
// thread: every text of the batch in one string and the numbers in typed arrays. Copying a few
// large values between threads costs little; 80,000 small ones (10,000 rows of 8 columns) cost the
// writer thread 7.5 ms a batch before it could start (measured), more than a tenth of its time.
import type { NewEvent } from "../store.js";
import { parseMessageFields } from "../message-fields.js";
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

export interface PreparedBatch {
  packed: PackedBatch;
  /** The parsed fields of each event as stored (JSON), or null: kept on the caller's side. */
  parsed: Array<string | null>;
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

export function prepareBatch(seq: number, events: readonly NewEvent[]): PreparedBatch {
  const n = events.length;
  const ts = new Float64Array(n);
  const priority = new Int32Array(n);
  const host = new Int32Array(n);
  const unit = new Int32Array(n);
  const lengths = new Int32Array(n * TEXTS);
  const hosts = new NameTable();
  const units = new NameTable();
  const texts = new Array<string>(n * TEXTS);
  const parsed = new Array<string | null>(n);
  const rollup = new RollupCollector();
  for (let i = 0; i < n; i++) {
    const ev = events[i]!;
    const fields = parseMessageFields(ev.message);
    const p = fields === undefined ? null : JSON.stringify(fields);
    parsed[i] = p;
    rollup.add(ev.tsUs, ev.host, ev.unit, ev.priority, fields);
    ts[i] = ev.tsUs;
    priority[i] = ev.priority ?? NONE;
    host[i] = hosts.indexOf(ev.host);
    unit[i] = units.indexOf(ev.unit);
    const o = i * TEXTS;
    texts[o] = ev.ident;
    texts[o + 1] = ev.message;
    texts[o + 2] = ev.fieldsJson;
    texts[o + 3] = p ?? "";
    lengths[o] = ev.ident.length;
    lengths[o + 1] = ev.message.length;
    lengths[o + 2] = ev.fieldsJson.length;
    lengths[o + 3] = p === null ? NONE : p.length;
  }
  const packed: PackedBatch = {
    seq, count: n, ts, priority, host, unit, hostNames: hosts.names, unitNames: units.names,
    text: texts.join(""), lengths, rollup: rollup.summary(),
  };
  return { packed, parsed };
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
    events.push({ ident: r.ident, tsUs: r.ts, host: r.host, unit: r.unit, priority: r.priority, message: r.message, fieldsJson: r.fields });
  });
  return prepareBatch(b.seq, events).packed;
}
