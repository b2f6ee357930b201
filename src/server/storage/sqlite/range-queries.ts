// The SQLite side of query execution: streaming the events of a time range, aggregating per
// group and time bucket in SQL (count, sum, min, max, bytes), streaming group keys and values for
// what SQL cannot merge (unique, percentiles), and the time bounds of logs.
import type Database from "better-sqlite3";
import type { AggregateRow, AggregateSpec, RangeSearch, StoredEvent, ValueRow } from "../store.js";
import { fieldTarget, numericSql, valueSql } from "./field-sql.js";
import { key, Names } from "./group-keys.js";
import { decodePageToken } from "./page-token.js";
import { compilePredicate, usesFullText } from "./predicate-sql.js";
import { candidates, columnsSql, ftsIdBounds, mergeRows, rollupAggregate, rollupAnswers, type Candidates, type Span } from "./rollup-queries.js";

export interface EventRow {
  id: number; log: number; ts: number; host: string | null; unit: string | null;
  priority: number | null; message: string; fields: string; parsed: string | null;
}

/** The events `e` with their parsed fields `p` (field-sql.ts reads p.parsed). */
export const EVENTS_FROM = "events e LEFT JOIN event_parsed p ON p.id = e.id";

export const EVENT_COLUMNS =
  `e.id, e.log, e.ts, h.name AS host, u.name AS unit, e.priority, e.message, e.fields, p.parsed FROM ${EVENTS_FROM} ` +
  "LEFT JOIN hosts h ON h.id = e.host LEFT JOIN units u ON u.id = e.unit";

interface Context {
  db: Database.Database;
  seqOf(logId: string): number;
  toStored(r: EventRow): StoredEvent;
}

/** A range search narrowed by the rollup: only events with these host, unit and priority values may match. */
type Narrowed = RangeSearch & { columns?: Candidates["columns"] };

function rangeWhere(ctx: Context, q: Narrowed): { where: string[]; params: unknown[] } {
  const where: string[] = ["e.ts >= ?", "e.ts < ?"];
  const params: unknown[] = [q.fromUs, q.toUs];
  if (q.logIds.length === 1) {
    where.push("e.log = ?");
    params.push(ctx.seqOf(q.logIds[0]!));
  } else if (q.logIds.length > 1) {
    where.push(`+e.log IN (${q.logIds.map(() => "?").join(", ")})`);
    for (const id of q.logIds) params.push(ctx.seqOf(id));
  }
  // Index columns only: checked before the row is read.
  if (q.columns !== undefined) where.push(...columnsSql(q.columns));
  if (q.where) {
    // The full-text index is keyed by event id: read it only between the range's first and last id.
    const c = compilePredicate(q.where, usesFullText(q.where) ? { ftsIds: ftsIdBounds(ctx, q.logIds, q.fromUs, q.toUs) } : {});
    where.push(c.sql);
    params.push(...c.params);
  }
  return { where, params };
}

/** The parts of the range to scan: where the minute rollup says the predicate may hold (see rollup-queries.ts). */
function partsOf(ctx: Context, q: RangeSearch): Narrowed[] {
  const c = candidates(ctx, q);
  if (c === undefined) return [q];
  // Few statements: close the smallest gaps until at most MAX_SPANS remain (a wider scan is still exact).
  let gap = MINUTE_GAP_US;
  let spans = c.spans;
  while (spans.length > MAX_SPANS) {
    const merged: Span[] = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last !== undefined && s.fromUs - last.toUs <= gap) last.toUs = s.toUs;
      else merged.push({ ...s });
    }
    spans = merged;
    gap *= 2;
  }
  return spans.map((s) => ({ ...q, ...s, ...(c.columns ? { columns: c.columns } : {}) }));
}

const MAX_SPANS = 64;
const MINUTE_GAP_US = 60_000_000;

export function* iterateEvents(ctx: Context, q: RangeSearch & { order: "asc" | "desc"; after?: string }): IterableIterator<StoredEvent> {
  const parts = partsOf(ctx, q);
  if (q.order !== "asc") parts.reverse();
  for (const part of parts) yield* iteratePart(ctx, { ...q, ...part });
}

function* iteratePart(ctx: Context, q: Narrowed & { order: "asc" | "desc"; after?: string }): IterableIterator<StoredEvent> {
  const { where, params } = rangeWhere(ctx, q);
  const desc = q.order !== "asc";
  if (q.after !== undefined) {
    const p = decodePageToken(q.after);
    // The plain bound lets the time index skip what lies beyond the position.
    where.push(desc ? "e.ts <= ?" : "e.ts >= ?", desc ? "(e.ts, e.id) < (?, ?)" : "(e.ts, e.id) > (?, ?)");
    params.push(p.tsUs, p.tsUs, p.id);
  }
  const dir = desc ? "DESC" : "ASC";
  const sql = `SELECT ${EVENT_COLUMNS} WHERE ${where.join(" AND ")} ORDER BY e.ts ${dir}, e.id ${dir}`;
  for (const r of ctx.db.prepare<unknown[], EventRow>(sql).iterate(...params)) yield ctx.toStored(r);
}

/** Group key expressions: dictionary fields group by id (names looked up afterwards). */
function keyExprs(spec: AggregateSpec): { sql: string[]; dicts: Array<"hosts" | "units" | undefined> } {
  const sql: string[] = [];
  const dicts: Array<"hosts" | "units" | undefined> = [];
  for (const f of spec.groupby) {
    const t = fieldTarget(f);
    if (t.kind === "dict") {
      sql.push(t.column);
      dicts.push(t.table);
    } else {
      sql.push(t.sql);
      dicts.push(undefined);
    }
  }
  return { sql, dicts };
}

function bucketSql(spec: AggregateSpec, params: unknown[]): string {
  if (!spec.bucket) return "NULL";
  params.push(spec.bucket.originUs, spec.bucket.widthUs);
  // Integer division (numbers are bound as doubles: cast them).
  return "((e.ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER))";
}

export function aggregate(ctx: Context, q: RangeSearch, spec: AggregateSpec): AggregateRow[] {
  if (rollupAnswers(q, spec)) return rollupAggregate(ctx, q, spec);
  const parts = partsOf(ctx, q);
  if (parts.length === 1) return aggregateSpan(ctx, parts[0]!, spec);
  return mergeRows(parts.map((part) => aggregateSpan(ctx, part, spec)));
}

function aggregateSpan(ctx: Context, q: Narrowed, spec: AggregateSpec): AggregateRow[] {
  const keys = keyExprs(spec);
  const selParams: unknown[] = [];
  const bucket = bucketSql(spec, selParams);
  const value = spec.value === undefined ? "NULL" : valueSql(spec.value);
  const bytes = spec.bytes ? "length(CAST(e.message AS BLOB))" : "0";
  const { where, params } = rangeWhere(ctx, q);
  const groupCols = [...keys.sql.map((_, i) => `k${i}`), "b"];
  // Nested selects (kept apart by LIMIT -1) extract the field once per row and test it for a number once.
  const inner = `SELECT ${[...keys.sql.map((k, i) => `${k} AS k${i}`), `${bucket} AS b`, `${value} AS v`, `${bytes} AS nb`].join(", ")} ` +
    `FROM ${EVENTS_FROM} WHERE ${where.join(" AND ")} LIMIT -1`;
  const middle = spec.value === undefined ? inner : `SELECT ${groupCols.join(", ")}, v, ${numericSql("v")} AS x, nb FROM (${inner}) LIMIT -1`;
  const x = spec.value === undefined ? "NULL" : "x";
  const sql =
    `SELECT ${groupCols.join(", ")}, count(*), count(v), count(${x}), total(${x}), min(${x}), max(${x}), total(nb) ` +
    `FROM (${middle}) GROUP BY ${groupCols.join(", ")}`;
  const rows = ctx.db.prepare(sql).raw().all(...selParams, ...params) as unknown[][];
  const names = new Names(ctx.db);
  const nk = keys.sql.length;
  return rows.map((r) => ({
    keys: keys.dicts.map((d, i) => (d ? names.name(d, r[i]) : key(r[i]))),
    bucket: r[nk] === null ? null : Number(r[nk]),
    count: Number(r[nk + 1]),
    present: Number(r[nk + 2]),
    numeric: Number(r[nk + 3]),
    sum: Number(r[nk + 4]),
    min: r[nk + 5] === null ? null : Number(r[nk + 5]),
    max: r[nk + 6] === null ? null : Number(r[nk + 6]),
    bytes: Number(r[nk + 7]),
  }));
}

export function* iterateValues(ctx: Context, q: RangeSearch, spec: AggregateSpec): IterableIterator<ValueRow> {
  for (const part of partsOf(ctx, q)) yield* valuesOfPart(ctx, part, spec);
}

function* valuesOfPart(ctx: Context, q: Narrowed, spec: AggregateSpec): IterableIterator<ValueRow> {
  const keys = keyExprs(spec);
  const selParams: unknown[] = [];
  const bucket = bucketSql(spec, selParams);
  const value = spec.value === undefined ? "NULL" : valueSql(spec.value);
  const { where, params } = rangeWhere(ctx, q);
  const bytes = spec.bytes ? "length(CAST(e.message AS BLOB))" : "0";
  const sql = `SELECT ${[...keys.sql, bucket, value, bytes].join(", ")} FROM ${EVENTS_FROM} WHERE ${where.join(" AND ")}`;
  const names = new Names(ctx.db);
  const nk = keys.sql.length;
  for (const r of ctx.db.prepare(sql).raw().iterate(...selParams, ...params) as IterableIterator<unknown[]>) {
    yield {
      keys: keys.dicts.map((d, i) => (d ? names.name(d, r[i]) : key(r[i]))),
      bucket: r[nk] === null ? null : Number(r[nk]),
      value: r[nk + 1],
      bytes: Number(r[nk + 2]),
    };
  }
}

export function timeBounds(ctx: Context, logIds: string[]): { minUs: number; maxUs: number } | undefined {
  const one = (dir: "ASC" | "DESC"): number | undefined => {
    if (logIds.length === 0) {
      const r = ctx.db.prepare<[], { ts: number }>(`SELECT ts FROM events ORDER BY ts ${dir} LIMIT 1`).get();
      return r?.ts;
    }
    // One indexed probe per log on (log, ts).
    let best: number | undefined;
    for (const id of logIds) {
      const r = ctx.db.prepare<[number], { ts: number }>(`SELECT ts FROM events WHERE log = ? ORDER BY ts ${dir} LIMIT 1`).get(ctx.seqOf(id));
      if (r && (best === undefined || (dir === "ASC" ? r.ts < best : r.ts > best))) best = r.ts;
    }
    return best;
  };
  const minUs = one("ASC");
  const maxUs = one("DESC");
  return minUs === undefined || maxUs === undefined ? undefined : { minUs, maxUs };
}
