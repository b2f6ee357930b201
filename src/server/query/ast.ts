// The LEQL syntax tree. `parse` builds it, `format` prints it back canonically, `plan` turns it into
// storage predicates and a statistics plan. Nodes carry `pos`, the 1-based column of their first
// character in the query text, so that errors found later (at planning or execution, e.g. a
// calculate on a non-numeric field) can point at the text.

/** A where() expression. Parentheses are not nodes: they only shape the tree. */
export type Expr = TermExpr | PhraseExpr | RegexExpr | CompareExpr | BoolExpr | NotExpr;

/** A bare keyword: a whole word of the message, case-insensitive. */
export interface TermExpr {
  kind: "term";
  value: string;
  pos: number;
}

/** A "quoted phrase": a substring of the message, case-insensitive. */
export interface PhraseExpr {
  kind: "phrase";
  value: string;
  pos: number;
}

/**
 * A /regular expression/ over the message. `source` is in JavaScript syntax (Python-style
 * `(?P<name>...)` converted to `(?<name>...)`); `groups` are its named groups, in order: each one
 * creates a field of that name usable in the rest of the query.
 */
export interface RegexExpr {
  kind: "regex";
  source: string;
  flags: string;
  groups: string[];
  pos: number;
}

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains" | "starts-with";

/** A scalar value: numbers are numbers (and compare as numbers), everything else a string. */
export type Scalar = string | number;

/**
 * `field OP value`. `field` is as written (an alias such as `host`, a journal name such as
 * `_SYSTEMD_UNIT`, a dotted JSON path such as `req.status`, or a regex group name). `value` is an
 * array for `in`, a string for `contains` / `starts-with`.
 */
export interface CompareExpr {
  kind: "compare";
  field: string;
  op: CompareOp;
  value: Scalar | Scalar[];
  pos: number;
  /** Column of the value (of "[" for IN lists). */
  valuePos: number;
}

/** AND / OR with two or more items (nested ones of the same kind are flattened). */
export interface BoolExpr {
  kind: "and" | "or";
  items: Expr[];
  pos: number;
}

export interface NotExpr {
  kind: "not";
  item: Expr;
  pos: number;
}

/** A field name in groupby() / calculate(). */
export interface FieldRef {
  name: string;
  pos: number;
}

export interface GroupBy {
  kind: "groupby";
  fields: FieldRef[];
  pos: number;
}

export const CALC_FUNCTIONS = ["count", "sum", "average", "min", "max", "unique", "bytes", "percentile", "median"] as const;
export type CalcFn = (typeof CALC_FUNCTIONS)[number];
/** Functions that take no field. */
export const CALC_WITHOUT_FIELD: readonly CalcFn[] = ["count", "bytes"];

export interface Calculate {
  kind: "calculate";
  fn: CalcFn;
  /** The field computed over; absent for count and bytes. */
  field?: FieldRef;
  /** For percentile(N): N, 0..100. */
  percentile?: number;
  pos: number;
}

export const DURATION_UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS;

/** timeslice(N): N equal buckets over the time range; timeslice(5m): buckets of a fixed duration. */
export interface Timeslice {
  kind: "timeslice";
  size: { kind: "buckets"; count: number } | { kind: "duration"; amount: number; unit: DurationUnit; ms: number };
  pos: number;
}

/** sort(asc|desc[#value|#key]): order of the statistics (by calculated value by default) or of events. */
export interface Sort {
  kind: "sort";
  direction: "asc" | "desc";
  by?: "value" | "key";
  pos: number;
}

export interface Limit {
  kind: "limit";
  count: number;
  pos: number;
}

/** A whole query. Every part is optional: the empty query matches everything. */
export interface Query {
  kind: "query";
  where?: Expr;
  groupby?: GroupBy;
  calculate?: Calculate;
  timeslice?: Timeslice;
  sort?: Sort;
  limit?: Limit;
}

/** The clause functions, in canonical order. */
export const CLAUSES = ["where", "groupby", "calculate", "timeslice", "sort", "limit"] as const;
export type ClauseName = (typeof CLAUSES)[number];

/** A deep copy without source positions (`pos`, `valuePos`): compares queries by meaning. */
export function withoutPositions<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n) => withoutPositions(n)) as T;
  if (node !== null && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (k !== "pos" && k !== "valuePos") out[k] = withoutPositions(v);
    return out as T;
  }
  return node;
}

/** Every named-group field created by the regular expressions of an expression, in order, once. */
export function regexFields(expr: Expr | undefined): string[] {
  const out: string[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === "regex") for (const g of e.groups) if (!out.includes(g)) out.push(g);
    if (e.kind === "and" || e.kind === "or") e.items.forEach(walk);
    if (e.kind === "not") walk(e.item);
  };
  if (expr) walk(expr);
  return out;
}
