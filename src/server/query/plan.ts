// The LEQL planner: turns a parsed query into what the store and the executor run.
// - `where`: the storage Predicate (aliases resolved to journal field names: host -> _HOSTNAME,
//   unit -> _SYSTEMD_UNIT, priority -> PRIORITY, ...).
// - comparisons on fields created by regex named groups cannot run in the store (the field exists
//   only once the executor has run the regex): they go to `postFilter`, which the executor applies
//   with matchesEvent after extraction; `where` then keeps a looser predicate the store can run
//   (every event that passes the query passes it).
// - `stats`: groupby / calculate / timeslice, with count as the default calculation.
import { FIELD_ALIASES, FIELD_PRIORITY } from "../../core/journal/fields.js";
import { regexFields } from "./ast.js";
import type { CalcFn, Expr, Query, Scalar } from "./ast.js";
import { parse } from "./parser.js";
import type { Predicate } from "../storage/store.js";

export { matchesEvent } from "./match.js";
export type { MatchableEvent } from "./match.js";

/** A regex whose named groups the executor extracts from each event's message. */
export interface RegexExtractor {
  source: string;
  flags: string;
  fields: string[];
  /** Column of the regex in the query. */
  pos: number;
}

/** A field of groupby() / calculate(), resolved. */
export interface PlannedField {
  /** Name to read from the event: a journal name, JSON path, or regex group field. */
  field: string;
  /** As written in the query (for result labels). */
  written: string;
  pos: number;
}

export interface StatsPlan {
  groupby: PlannedField[];
  /** calculate(...), or count when the query has only groupby() / timeslice(). */
  calculate: { fn: CalcFn; field?: PlannedField; percentile?: number; pos?: number };
  timeslice?: { buckets: number } | { bucketMs: number };
}

export interface QueryPlan {
  /** The parsed query. */
  query: Query;
  /** What the store evaluates; undefined = every event in range. */
  where?: Predicate;
  /** What the executor evaluates with matchesEvent after extracting regex fields; undefined = nothing more. */
  postFilter?: Predicate;
  /** Regexes with named groups, to run over each matching event's message. */
  extractors: RegexExtractor[];
  /** Every field created by a named group, in order of appearance. */
  regexFields: string[];
  /** Present when the query computes statistics (groupby, calculate or timeslice). */
  stats?: StatsPlan;
  /** Statistics: order of groups (by value unless by = "key"); events: order by time. */
  sort?: { direction: "asc" | "desc"; by?: "value" | "key" };
  /** Maximum number of groups (with stats) or events (without). */
  limit?: number;
}

/** The storage predicate of a query's where part (a superset when regex fields are compared: see planQuery). */
export function planWhere(query: string): Predicate | undefined {
  return planQuery(query).where;
}

/** Parses and plans a query; throws LogharborError LH_ERR_QUERY_SYNTAX. */
export function planQuery(query: string): QueryPlan {
  return planParsed(parse(query));
}

export function planParsed(query: Query): QueryPlan {
  const groups = regexFields(query.where);
  const resolve = (name: string): string => (groups.includes(name) ? name : (FIELD_ALIASES[name] ?? name));
  const plan: QueryPlan = { query, extractors: extractors(query.where), regexFields: groups };

  if (query.where) {
    const split = splitWhere(query.where, groups, resolve);
    if (split.where) plan.where = split.where;
    if (split.postFilter) plan.postFilter = split.postFilter;
  }
  if (query.groupby || query.calculate || query.timeslice) {
    const field = (f: { name: string; pos: number }): PlannedField => ({ field: resolve(f.name), written: f.name, pos: f.pos });
    const c = query.calculate;
    const stats: StatsPlan = {
      groupby: (query.groupby?.fields ?? []).map(field),
      calculate: c
        ? { fn: c.fn, pos: c.pos, ...(c.field ? { field: field(c.field) } : {}), ...(c.percentile !== undefined ? { percentile: c.percentile } : {}) }
        : { fn: "count" },
    };
    const ts = query.timeslice?.size;
    if (ts) stats.timeslice = ts.kind === "buckets" ? { buckets: ts.count } : { bucketMs: ts.ms };
    plan.stats = stats;
  }
  if (query.sort) plan.sort = query.sort.by ? { direction: query.sort.direction, by: query.sort.by } : { direction: query.sort.direction };
  if (query.limit) plan.limit = query.limit.count;
  return plan;
}

function extractors(expr: Expr | undefined): RegexExtractor[] {
  const out: RegexExtractor[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === "regex" && e.groups.length > 0) out.push({ source: e.source, flags: e.flags, fields: [...e.groups], pos: e.pos });
    if (e.kind === "and" || e.kind === "or") e.items.forEach(walk);
    if (e.kind === "not") walk(e.item);
  };
  if (expr) walk(expr);
  return out;
}

/** syslog priority names, as accepted for PRIORITY: `priority <= warning`. */
export const PRIORITY_NAMES: Readonly<Record<string, number>> = {
  emerg: 0, alert: 1, crit: 2, err: 3, error: 3, warning: 4, warn: 4, notice: 5, info: 6, debug: 7,
};

function priorityValue(v: Scalar): Scalar {
  return typeof v === "string" ? (PRIORITY_NAMES[v.toLowerCase()] ?? v) : v;
}

/** The predicate of an expression, fields resolved (and PRIORITY names such as "err" made numbers). */
export function toPredicate(e: Expr, resolve: (name: string) => string): Predicate {
  switch (e.kind) {
    case "term":
      return { kind: "term", value: e.value };
    case "phrase":
      return { kind: "phrase", value: e.value };
    case "regex":
      return { kind: "regex", source: e.source, flags: e.flags };
    case "compare": {
      const field = resolve(e.field);
      const conv = field === FIELD_PRIORITY && e.op !== "contains" && e.op !== "starts-with" ? priorityValue : (v: Scalar) => v;
      return { kind: "field", field, op: e.op, value: Array.isArray(e.value) ? e.value.map(conv) : conv(e.value) };
    }
    case "and":
    case "or":
      return { kind: e.kind, items: e.items.map((i) => toPredicate(i, resolve)) };
    case "not":
      return { kind: "not", item: toPredicate(e.item, resolve) };
  }
}

/** Does the expression compare a regex group field (which the store cannot see)? */
function needsExtraction(e: Expr, groups: readonly string[]): boolean {
  switch (e.kind) {
    case "compare":
      return groups.includes(e.field);
    case "and":
    case "or":
      return e.items.some((i) => needsExtraction(i, groups));
    case "not":
      return needsExtraction(e.item, groups);
    default:
      return false;
  }
}

const TRUE = "true" as const;

/** A predicate implied by `e` that the store can run: comparisons on regex fields become TRUE. */
function relax(e: Expr, groups: readonly string[], resolve: (name: string) => string): Predicate | typeof TRUE {
  if (!needsExtraction(e, groups)) return toPredicate(e, resolve);
  switch (e.kind) {
    case "and": {
      const items = e.items.map((i) => relax(i, groups, resolve)).filter((p): p is Predicate => p !== TRUE);
      return items.length === 0 ? TRUE : items.length === 1 ? items[0]! : { kind: "and", items };
    }
    case "or": {
      const items = e.items.map((i) => relax(i, groups, resolve));
      return items.includes(TRUE) ? TRUE : { kind: "or", items: items as Predicate[] };
    }
    default:
      return TRUE; // a regex-field comparison, or NOT over one
  }
}

function andOf(items: Predicate[]): Predicate | undefined {
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : { kind: "and", items };
}

function splitWhere(
  e: Expr,
  groups: readonly string[],
  resolve: (name: string) => string,
): { where?: Predicate; postFilter?: Predicate } {
  if (!needsExtraction(e, groups)) return { where: toPredicate(e, resolve) };
  const items = e.kind === "and" ? e.items : [e];
  const store: Predicate[] = [];
  const post: Predicate[] = [];
  for (const item of items) {
    if (needsExtraction(item, groups)) {
      post.push(toPredicate(item, resolve));
      const loose = relax(item, groups, resolve);
      if (loose !== TRUE) store.push(loose);
    } else {
      store.push(toPredicate(item, resolve));
    }
  }
  const out: { where?: Predicate; postFilter?: Predicate } = {};
  const w = andOf(store);
  const p = andOf(post);
  if (w) out.where = w;
  if (p) out.postFilter = p;
  return out;
}
