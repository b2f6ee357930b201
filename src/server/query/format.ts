// Canonical text of a query: `format(parse(q))` parses back to the same tree (positions aside),
// and formatting is idempotent. Canonical form: where(...) first, then groupby, calculate,
// timeslice, sort, limit; upper-case AND / OR / NOT / IN / CONTAINS / STARTS-WITH; explicit AND.
import type { Expr, Query, Scalar } from "./ast.js";
import { formatCalculate } from "./operators/calculate.js";
import { formatGroupBy } from "./operators/groupby.js";
import { formatLimit } from "./operators/limit.js";
import { formatSort } from "./operators/sort.js";
import { formatTimeslice } from "./operators/timeslice.js";
import { NUMBER_RE } from "./syntax.js";

export function format(q: Query): string {
  const parts: string[] = [];
  if (q.where) parts.push(`where(${formatExpr(q.where)})`);
  if (q.groupby) parts.push(formatGroupBy(q.groupby));
  if (q.calculate) parts.push(formatCalculate(q.calculate));
  if (q.timeslice) parts.push(formatTimeslice(q.timeslice));
  if (q.sort) parts.push(formatSort(q.sort));
  if (q.limit) parts.push(formatLimit(q.limit));
  return parts.join(" ");
}

export function formatExpr(e: Expr): string {
  switch (e.kind) {
    case "term":
      return e.value;
    case "phrase":
      return quoteString(e.value);
    case "regex":
      return `/${e.source}/${e.flags}`;
    case "compare": {
      const op = /^[a-z]/.test(e.op) ? e.op.toUpperCase() : e.op;
      const value = Array.isArray(e.value) ? `[${e.value.map(formatValue).join(", ")}]` : formatValue(e.value);
      return `${e.field} ${op} ${value}`;
    }
    case "and":
      return e.items.map((i) => (i.kind === "or" ? `(${formatExpr(i)})` : formatExpr(i))).join(" AND ");
    case "or":
      return e.items.map(formatExpr).join(" OR ");
    case "not":
      return `NOT ${e.item.kind === "and" || e.item.kind === "or" ? `(${formatExpr(e.item)})` : formatExpr(e.item)}`;
  }
}

/** A "quoted string" with \" and \\ escapes. */
export function quoteString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const BARE_VALUE = /^[A-Za-z0-9_.:@+\-*%$&~^|?'#][A-Za-z0-9_.:@/+\-*%$&~^|?'#]*$/;
const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "CONTAINS", "STARTS-WITH"]);

/** A value: numbers as written by JavaScript, strings bare when that reads back the same. */
export function formatValue(v: Scalar): string {
  if (typeof v === "number") return String(v);
  const bare = BARE_VALUE.test(v) && !NUMBER_RE.test(v) && !KEYWORDS.has(v.toUpperCase());
  return bare ? v : quoteString(v);
}
