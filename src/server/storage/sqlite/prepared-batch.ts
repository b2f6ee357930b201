// A batch of events made ready for the writer on the caller's thread: the rows as one flat array of
// column values, the fields parsed from each message, and the batch's minute-rollup groups. With a
// writer thread, this work runs on the main thread beside it, the writer is left with SQLite's own,
// and the batch crosses to it as strings and numbers (a flat array clones about 3x faster than
// event objects).
import type { NewEvent } from "../store.js";
import { parseMessageFields, type ParsedFields } from "../message-fields.js";
import { RollupCollector, type RollupSummary } from "./minute-rollup.js";

/** Values per row in PreparedBatch.rows, in this order: the events table's columns as inserted. */
export const ROW_WIDTH = 8;
export const COL_HOST = 2;
export const COL_UNIT = 3;
export const COL_IDENT = 5;

export interface PreparedBatch {
  /** The log's sequence number. */
  seq: number;
  count: number;
  /**
   * ROW_WIDTH values per event: log, ts, host, unit, priority, ident, message, fields. Host and unit
   * are names here; the writer turns them into dictionary ids.
   */
  rows: Array<string | number | null>;
  /** The fields parsed from each event's message, as stored (JSON), or null. */
  parsed: Array<string | null>;
  rollup: RollupSummary;
}

export function prepareBatch(seq: number, events: readonly NewEvent[]): PreparedBatch {
  const n = events.length;
  const rows = new Array<string | number | null>(n * ROW_WIDTH);
  const parsed = new Array<string | null>(n);
  const rollup = new RollupCollector();
  for (let i = 0, o = 0; i < n; i++, o += ROW_WIDTH) {
    const ev = events[i]!;
    const fields = parseMessageFields(ev.message);
    parsed[i] = fields === undefined ? null : JSON.stringify(fields);
    rollup.add(ev.tsUs, ev.host, ev.unit, ev.priority, fields);
    rows[o] = seq;
    rows[o + 1] = ev.tsUs;
    rows[o + 2] = ev.host;
    rows[o + 3] = ev.unit;
    rows[o + 4] = ev.priority;
    rows[o + 5] = ev.ident;
    rows[o + 6] = ev.message;
    rows[o + 7] = ev.fieldsJson;
  }
  return { seq, count: n, rows, parsed, rollup: rollup.summary() };
}

/**
 * The batch narrowed to the rows at `keep` (ascending positions): what the writer stores when
 * the dedupe index turned some rows away. Their parsed fields are read back from the JSON.
 */
export function keepRows(b: PreparedBatch, keep: readonly number[]): PreparedBatch {
  const rows: Array<string | number | null> = [];
  const parsed: Array<string | null> = [];
  const rollup = new RollupCollector();
  for (const i of keep) {
    const o = i * ROW_WIDTH;
    for (let c = 0; c < ROW_WIDTH; c++) rows.push(b.rows[o + c]!);
    const p = b.parsed[i]!;
    parsed.push(p);
    rollup.add(
      b.rows[o + 1] as number, b.rows[o + COL_HOST] as string | null, b.rows[o + COL_UNIT] as string | null, b.rows[o + 4] as number | null,
      p === null ? undefined : (JSON.parse(p) as ParsedFields),
    );
  }
  return { seq: b.seq, count: keep.length, rows, parsed, rollup: rollup.summary() };
}
