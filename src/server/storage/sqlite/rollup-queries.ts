// Queries on the minute rollup (minute-rollup.ts):
// - rollupAggregate: count per group/bucket from the rollup for the whole minutes of the range,
//   from the events for the minutes cut by the range's ends or by a bucket boundary. Exact.
// - ftsIdBounds: the event ids of a time range, to bound the full-text index.
// - candidates: the parts of a range, and the host, unit and priority values, where a predicate can
//   hold at all: groups that fail its host/unit/priority conditions, or have none of the parsed
//   fields it compares (or no number in range), are left out. A superset of the matching events.
import type Database from "better-sqlite3";
import { FIELD_ALIASES } from "../../../core/journal/fields.js";
import type { AggregateRow, AggregateSpec, FieldOp, Predicate, RangeSearch } from "../store.js";
import { fieldTarget } from "./field-sql.js";
import { key, Names } from "./group-keys.js";
import { MINUTE_US, minuteOf } from "./minute-rollup.js";
import { compilePredicate } from "./predicate-sql.js";

export interface RollupContext {
  db: Database.Database;
  seqOf(logId: string): number;
}

/** A time span [fromUs, toUs). */
export interface Span {
  fromUs: number;
  toUs: number;
}

const JOURNAL_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Is the field one the rollup holds (host, unit, priority)? */
function rollupField(field: string): boolean {
  const t = fieldTarget(field);
  return t.kind === "dict" || (t.kind === "column" && t.sql === "e.priority");
}

/** A predicate decided by host, unit and priority alone (so by the rollup, exactly). */
export function decidedByRollup(p: Predicate): boolean {
  switch (p.kind) {
    case "field":
    case "exists":
      return rollupField(p.field);
    case "and":
    case "or":
      return p.items.every(decidedByRollup);
    case "not":
      return decidedByRollup(p.item);
    default:
      return false;
  }
}

/** Can the rollup answer this aggregate? Counts only, grouped by rollup fields, buckets of a minute or more. */
export function rollupAnswers(q: RangeSearch, spec: AggregateSpec): boolean {
  return (
    spec.value === undefined &&
    !spec.bytes &&
    spec.groupby.every(rollupField) &&
    (q.where === undefined || decidedByRollup(q.where)) &&
    (spec.bucket === undefined || spec.bucket.widthUs >= MINUTE_US)
  );
}

function logSql(ctx: RollupContext, logIds: string[], params: unknown[]): string[] {
  if (logIds.length === 0) return [];
  for (const id of logIds) params.push(ctx.seqOf(id));
  return [logIds.length === 1 ? "e.log = ?" : `e.log IN (${logIds.map(() => "?").join(", ")})`];
}

/**
 * count per group and bucket over [fromUs, toUs). `raw` aggregates the events of a span (the
 * ordinary path); it covers the partial minutes.
 */
export function rollupAggregate(ctx: RollupContext, q: RangeSearch, spec: AggregateSpec): AggregateRow[] {
  const first = minuteOf(q.fromUs + MINUTE_US - 1); // first minute starting at or after fromUs
  const end = minuteOf(q.toUs); // minutes before it end at or before toUs
  if (first >= end) return countEvents(ctx, q, spec, [{ fromUs: q.fromUs, toUs: q.toUs }]);
  const spans: Span[] = [];
  if (q.fromUs < first * MINUTE_US) spans.push({ fromUs: q.fromUs, toUs: first * MINUTE_US });
  if (end * MINUTE_US < q.toUs) spans.push({ fromUs: end * MINUTE_US, toUs: q.toUs });
  // Minutes that a bucket boundary cuts in two are counted from the events.
  const cut: number[] = [];
  if (spec.bucket) {
    const { originUs, widthUs } = spec.bucket;
    const lo = first * MINUTE_US;
    const hi = end * MINUTE_US;
    for (let b = originUs + Math.max(0, Math.ceil((lo - originUs) / widthUs) - 1) * widthUs; b < hi; b += widthUs) {
      if (b > lo && b % MINUTE_US !== 0) {
        const m = minuteOf(b);
        cut.push(m);
        spans.push({ fromUs: m * MINUTE_US, toUs: (m + 1) * MINUTE_US });
      }
    }
  }

  const params: unknown[] = [];
  const keySql = spec.groupby.map(keyColumn);
  let bucket = "NULL";
  if (spec.bucket) {
    bucket = `((e.minute * ${MINUTE_US} - CAST(? AS INTEGER)) / CAST(? AS INTEGER))`;
    params.push(spec.bucket.originUs, spec.bucket.widthUs);
  }
  const where = ["e.minute >= ?", "e.minute < ?"];
  params.push(first, end);
  where.push(...logSql(ctx, q.logIds, params));
  if (q.where) {
    const c = compilePredicate(q.where);
    where.push(c.sql);
    params.push(...c.params);
  }
  if (cut.length > 0) {
    where.push("e.minute NOT IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(cut));
  }
  const cols = [...keySql.map((k, i) => `${k} AS k${i}`), `${bucket} AS b`];
  const group = [...keySql.map((_, i) => `k${i}`), "b"];
  const sql = `SELECT ${cols.join(", ")}, sum(e.n) AS n FROM event_minutes e WHERE ${where.join(" AND ")} GROUP BY ${group.join(", ")} HAVING sum(e.n) > 0`;
  const rows = countRows(ctx, spec, ctx.db.prepare(sql).raw().all(...params) as unknown[][]);
  return spans.length === 0 ? rows : mergeRows([rows, countEvents(ctx, q, spec, spans)]);
}

function keyColumn(field: string): string {
  const t = fieldTarget(field);
  return t.kind === "dict" ? t.column : t.sql;
}

function countRows(ctx: RollupContext, spec: AggregateSpec, raw: unknown[][]): AggregateRow[] {
  const keys = spec.groupby.map((f) => fieldTarget(f));
  const names = new Names(ctx.db);
  const nk = keys.length;
  return raw.map((r) => ({
    keys: keys.map((t, i) => (t.kind === "dict" ? names.name(t.table, r[i]) : key(r[i]))),
    bucket: r[nk] === null ? null : Number(r[nk]),
    count: Number(r[nk + 1]),
    present: 0, numeric: 0, sum: 0, min: null, max: null, bytes: 0,
  }));
}

/**
 * The same counts from the events of some spans, in one statement: the spans drive the time index,
 * which holds every column these counts need (host, unit, priority, log), so no row is read.
 */
function countEvents(ctx: RollupContext, q: RangeSearch, spec: AggregateSpec, spans: Span[]): AggregateRow[] {
  const params: unknown[] = [];
  const keySql = spec.groupby.map(keyColumn);
  let bucket = "NULL";
  if (spec.bucket) {
    bucket = "((e.ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER))";
    params.push(spec.bucket.originUs, spec.bucket.widthUs);
  }
  params.push(JSON.stringify(spans.map((s) => [s.fromUs, s.toUs])));
  const where = ["e.ts >= s.value ->> 0", "e.ts < s.value ->> 1", ...logSql(ctx, q.logIds, params)];
  if (q.where) {
    const c = compilePredicate(q.where);
    where.push(c.sql);
    params.push(...c.params);
  }
  const cols = [...keySql.map((k, i) => `${k} AS k${i}`), `${bucket} AS b`];
  const group = [...keySql.map((_, i) => `k${i}`), "b"];
  const sql = `SELECT ${cols.join(", ")}, count(*) FROM json_each(?) AS s CROSS JOIN events e WHERE ${where.join(" AND ")} GROUP BY ${group.join(", ")}`;
  return countRows(ctx, spec, ctx.db.prepare(sql).raw().all(...params) as unknown[][]);
}

/** Rows of several disjoint spans merged per group and bucket. */
export function mergeRows(lists: AggregateRow[][]): AggregateRow[] {
  const out = new Map<string, AggregateRow>();
  for (const list of lists) {
    for (const r of list) {
      const k = JSON.stringify([r.keys, r.bucket]);
      const o = out.get(k);
      if (o === undefined) {
        out.set(k, { ...r });
        continue;
      }
      o.count += r.count;
      o.present += r.present;
      o.numeric += r.numeric;
      o.sum += r.sum;
      o.bytes += r.bytes;
      if (r.min !== null && (o.min === null || r.min < o.min)) o.min = r.min;
      if (r.max !== null && (o.max === null || r.max > o.max)) o.max = r.max;
    }
  }
  return [...out.values()];
}

/** The smallest and largest event id of a time range (of some logs), from the rollup; lo > hi when it holds none. */
export function ftsIdBounds(ctx: RollupContext, logIds: string[], fromUs: number, toUs: number): { lo: number; hi: number } {
  if (toUs <= fromUs) return { lo: 1, hi: 0 };
  const params: unknown[] = [minuteOf(fromUs), minuteOf(toUs - 1)];
  const where = ["e.minute >= ?", "e.minute <= ?", ...logSql(ctx, logIds, params)];
  const r = ctx.db.prepare(`SELECT min(e.min_id), max(e.max_id) FROM event_minute_ids e WHERE ${where.join(" AND ")}`).raw().get(...params) as
    | [number | null, number | null]
    | undefined;
  return r === undefined || r[0] === null || r[1] === null ? { lo: 1, hi: 0 } : { lo: r[0], hi: r[1] };
}

const ALWAYS = "1";

/** The name under which a parsed field is stored, or undefined for journal fields and columns (not in the rollup's keys). */
function parsedName(field: string): string | undefined {
  const t = fieldTarget(field);
  if (t.kind !== "json") return undefined;
  const name = FIELD_ALIASES[field.toLowerCase()] ?? field;
  return JOURNAL_NAME.test(name) ? undefined : name;
}

/** A condition on a group's parsed field `name` that holds when some event of the group may satisfy `op value`. */
function fieldMayHold(name: string, op: FieldOp, value: string | number, params: unknown[]): string {
  params.push(`\n${name}\n`);
  const present = "instr(e.keys, ?) > 0";
  // A comparison with a number holds only for values that read as numbers: within the group's range.
  if (typeof value !== "number" || !["=", "<", "<=", ">", ">="].includes(op)) return present;
  const lo = `json_extract(e.nums, ?)`;
  const path = `$."${name}"`;
  switch (op) {
    case "=":
      params.push(`${path}[0]`, value, `${path}[1]`, value);
      return `${present} AND ${lo} <= ? AND ${lo} >= ?`;
    case "<":
    case "<=":
      params.push(`${path}[0]`, value);
      return `${present} AND ${lo} ${op} ?`;
    default:
      params.push(`${path}[1]`, value);
      return `${present} AND ${lo} ${op} ?`;
  }
}

/** A condition on rollup rows (`e`) that holds for every group where `p` may hold for some event; "1" when unknown. */
function relaxed(p: Predicate, params: unknown[]): string {
  if (decidedByRollup(p)) {
    const c = compilePredicate(p);
    params.push(...c.params);
    return c.sql;
  }
  switch (p.kind) {
    case "field": {
      // Every comparison but != is false (NULL) for an event without the field.
      const name = p.op === "!=" ? undefined : parsedName(p.field);
      if (name === undefined) return ALWAYS;
      const sub: unknown[] = [];
      const values = p.op === "in" ? (Array.isArray(p.value) ? p.value : [p.value]) : [p.value as string | number];
      const op: FieldOp = p.op === "in" ? "=" : p.op;
      const any = values.map((v) => fieldMayHold(name, op, v, sub));
      params.push(...sub);
      return `(e.keys IS NULL OR ${any.length === 0 ? "0" : any.map((c) => `(${c})`).join(" OR ")})`;
    }
    case "exists": {
      const name = parsedName(p.field);
      if (name === undefined) return ALWAYS;
      params.push(`\n${name}\n`);
      return "(e.keys IS NULL OR instr(e.keys, ?) > 0)";
    }
    case "and": {
      const sub: unknown[] = [];
      const items = p.items.map((i) => relaxed(i, sub)).filter((s) => s !== ALWAYS);
      params.push(...sub);
      return items.length === 0 ? ALWAYS : `(${items.join(" AND ")})`;
    }
    case "or": {
      const sub: unknown[] = [];
      const items = p.items.map((i) => relaxed(i, sub));
      if (items.includes(ALWAYS)) return ALWAYS;
      params.push(...sub);
      return `(${items.join(" OR ")})`;
    }
    default:
      // Words, phrases and regular expressions need the message; NOT of an undecided condition may hold anywhere.
      return ALWAYS;
  }
}

/** Where a predicate may hold: spans of time, and the host, unit and priority values of the groups where it may. */
export interface Candidates {
  spans: Span[];
  /** Per column, the values (null included) of the candidate groups; absent when too many to list. */
  columns?: { host: Array<number | null>; unit: Array<number | null>; priority: Array<number | null> };
}

/** Distinct values per column beyond which the scan does not list them. */
const MAX_COLUMN_VALUES = 500;

/**
 * Where in [fromUs, toUs) `where` may match: the minutes (as spans in time order) and groups the
 * rollup does not rule out; undefined when it cannot narrow anything (scan the whole range).
 */
export function candidates(ctx: RollupContext, q: RangeSearch): Candidates | undefined {
  if (q.where === undefined || decidedByRollup(q.where)) return undefined;
  const params: unknown[] = [];
  const cond = relaxed(q.where, params);
  if (cond === ALWAYS || q.toUs <= q.fromUs) return undefined;
  const all: unknown[] = [minuteOf(q.fromUs), minuteOf(q.toUs - 1)];
  const where = ["e.minute >= ?", "e.minute <= ?", ...logSql(ctx, q.logIds, all), cond];
  all.push(...params);
  const rows = ctx.db
    .prepare(`SELECT e.minute, e.host, e.unit, e.priority FROM event_minutes e WHERE ${where.join(" AND ")} ORDER BY e.minute`)
    .raw()
    .all(...all) as Array<[number, number | null, number | null, number | null]>;
  const spans: Span[] = [];
  const hosts = new Set<number | null>();
  const units = new Set<number | null>();
  const priorities = new Set<number | null>();
  for (const [m, host, unit, priority] of rows) {
    hosts.add(host);
    units.add(unit);
    priorities.add(priority);
    const from = Math.max(q.fromUs, m * MINUTE_US);
    const to = Math.min(q.toUs, (m + 1) * MINUTE_US);
    const last = spans[spans.length - 1];
    if (last !== undefined && last.toUs >= from) last.toUs = Math.max(last.toUs, to);
    else spans.push({ fromUs: from, toUs: to });
  }
  if (Math.max(hosts.size, units.size, priorities.size) > MAX_COLUMN_VALUES) return { spans };
  return { spans, columns: { host: [...hosts], unit: [...units], priority: [...priorities] } };
}

/**
 * Conditions on the time index's columns that keep the candidate groups' events (and maybe a few
 * more: each column is tested alone): integers inlined, checked before the row is read.
 */
export function columnsSql(columns: NonNullable<Candidates["columns"]>): string[] {
  const out: string[] = [];
  for (const col of ["host", "unit", "priority"] as const) {
    const values = columns[col];
    const ints = values.filter((v): v is number => v !== null && Number.isSafeInteger(v));
    if (ints.length + (values.includes(null) ? 1 : 0) !== values.length) continue; // not plain integers: no test
    const tests: string[] = [];
    if (ints.length > 0) tests.push(`e.${col} IN (${ints.join(", ")})`);
    if (values.includes(null)) tests.push(`e.${col} IS NULL`);
    out.push(tests.length === 0 ? "0" : `(${tests.join(" OR ")})`);
  }
  return out;
}
