// Compiles a storage-neutral Predicate into a SQL condition over `events e`.
// NULL counts as false everywhere; `not` turns NULL into true (an absent field "is not" anything).
import { LogharborError } from "../../../core/errors.js";
import { compiledRegex } from "../../../core/regex-cache.js";
import type { FieldOp, Predicate } from "../store.js";
import { fieldTarget as target, numericSql } from "./field-sql.js";

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const PRIORITY_NAMES: Readonly<Record<string, number>> = {
  emerg: 0, alert: 1, crit: 2, err: 3, error: 3, warning: 4, warn: 4, notice: 5, info: 6, debug: 7,
};

/** FTS5 string: the text in double quotes (a phrase of its tokens), quotes doubled. */
export function ftsQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** A comparison of the SQL value `x` (possibly NULL) with one value; NULL when x is NULL. */
function compare(x: string, xIsNumber: boolean, op: Exclude<FieldOp, "in" | "!=">, value: string | number, params: unknown[]): string {
  if (op === "contains" || op === "starts-with") {
    params.push(String(value));
    return `${op === "contains" ? "lh_icontains" : "lh_istarts"}(${x}, ?)`;
  }
  params.push(value);
  // Numbers compare as numbers; text compares as text (a parsed number 500 equals "500").
  const lhs = typeof value === "number" ? (xIsNumber ? x : numericSql(x)) : xIsNumber ? x : `CAST(${x} AS TEXT)`;
  return `${lhs} ${op} ?`;
}

function fieldSql(field: string, op: FieldOp, raw: string | number | Array<string | number>, params: unknown[]): string {
  if (op === "in") {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) return "0";
    return joined(list.map((v) => fieldSql(field, "=", v, params)), " OR ");
  }
  if (Array.isArray(raw)) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `query: operator ${op} on ${field} takes one value, got a list of ${raw.length}`);
  }
  if (op === "!=") return `NOT COALESCE(${fieldSql(field, "=", raw, params)}, 0)`;
  const t = target(field);
  let value = raw;
  if (t.kind === "column" && t.numeric && typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (/^\d+$/.test(v)) value = Number(v);
    else if (v in PRIORITY_NAMES) value = PRIORITY_NAMES[v]!;
  }
  switch (t.kind) {
    case "column":
      return compare(t.sql, t.numeric, op, value, params);
    case "dict":
      return `${t.column} IN (SELECT id FROM ${t.table} WHERE ${compare("name", false, op, value, params)})`;
    case "json":
      return compare(t.sql, false, op, value, params);
  }
}

function existsSql(field: string, params: unknown[]): string {
  const t = target(field);
  switch (t.kind) {
    case "column":
      return t.sql === "e.message" ? "1" : `${t.sql} IS NOT NULL`;
    case "dict":
      return `${t.column} IS NOT NULL`;
    case "json":
      return `${t.sql} IS NOT NULL`;
  }
}

function checkRegex(source: string, flags: string): void {
  try {
    compiledRegex(source, flags);
  } catch (e) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `query: invalid regular expression /${source}/${flags}: ${(e as Error).message}`);
  }
}

/** Items joined by one operator; long lists as a balanced tree, since SQLite parses `a OR b OR c...` one level deeper per item (its limit: 1,000). */
function joined(items: string[], op: " AND " | " OR "): string {
  if (items.length <= 32) return `(${items.join(op)})`;
  const half = Math.ceil(items.length / 2);
  return `(${joined(items.slice(0, half), op)}${op}${joined(items.slice(half), op)})`;
}

/** Options of compilePredicate. */
export interface CompileOptions {
  /**
   * Event ids that the events in question lie between (from the minute rollup): the full-text
   * index is read only within them, which makes a keyword over part of the time range cheap.
   */
  ftsIds?: { lo: number; hi: number };
}

function ftsSql(text: string, params: unknown[], o: CompileOptions): string {
  params.push(ftsQuote(text));
  if (o.ftsIds === undefined) return "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)";
  params.push(o.ftsIds.lo, o.ftsIds.hi);
  return "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid BETWEEN ? AND ?)";
}

/** Does the predicate use the full-text index? */
export function usesFullText(p: Predicate): boolean {
  switch (p.kind) {
    case "term":
    case "phrase":
      return true;
    case "and":
    case "or":
      return p.items.some(usesFullText);
    case "not":
      return usesFullText(p.item);
    default:
      return false;
  }
}

function walk(p: Predicate, params: unknown[], o: CompileOptions): string {
  switch (p.kind) {
    case "term":
      return ftsSql(p.value, params, o);
    case "phrase": {
      // The index finds the words in order; the check keeps only the exact text (case-insensitive).
      const fts = ftsSql(p.value, params, o);
      params.push(p.value);
      return `(${fts} AND lh_icontains(e.message, ?))`;
    }
    case "regex":
      checkRegex(p.source, p.flags);
      params.push(p.source, p.flags);
      return "lh_regexp(e.message, ?, ?)";
    case "field":
      return fieldSql(p.field, p.op, p.value, params);
    case "exists":
      return existsSql(p.field, params);
    case "and":
    case "or":
      if (p.items.length === 0) return p.kind === "and" ? "1" : "0";
      return joined(p.items.map((i) => walk(i, params, o)), p.kind === "and" ? " AND " : " OR ");
    case "not":
      return `NOT COALESCE(${walk(p.item, params, o)}, 0)`;
  }
}

export function compilePredicate(p: Predicate, o: CompileOptions = {}): SqlFragment {
  const params: unknown[] = [];
  const sql = walk(p, params, o);
  return { sql, params };
}
