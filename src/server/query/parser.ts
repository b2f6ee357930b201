// The LEQL parser: a query is where(...) followed by statistics clauses, each at most once, in any
// order. A query that does not start with a function call is a bare where() expression, which may
// be followed by clauses: `error 500 groupby(host)` = `where(error 500) groupby(host)`.
import { CLAUSES } from "./ast.js";
import type { ClauseName, Expr, Query } from "./ast.js";
import { LogharborError } from "../../core/errors.js";
import { querySyntaxError, quoteText, unexpected } from "./errors.js";
import { Lexer } from "./lexer.js";
import type { Token } from "./lexer.js";
import { parseCalculate } from "./operators/calculate.js";
import { parseGroupBy } from "./operators/groupby.js";
import { parseLimit } from "./operators/limit.js";
import { parseSort } from "./operators/sort.js";
import { parseTimeslice } from "./operators/timeslice.js";
import { suggestion } from "./suggest.js";
import { openClause, unbalanced, unbalancedClose } from "./syntax.js";
import { parseWhereExpr } from "./where.js";

const FUNCTIONS_HINT = CLAUSES.map((c) => `${c}(...)`).join(", ");

/** The longest query text accepted (characters). */
export const MAX_QUERY_CHARS = 65_536;

/**
 * Parses a LEQL query; throws LogharborError LH_ERR_QUERY_SYNTAX with the column of the problem,
 * LH_ERR_QUERY_TOO_LARGE (naming the limit) for a query longer than MAX_QUERY_CHARS, with more
 * search terms than MAX_TERMS or a regular expression longer than MAX_REGEX_CHARS.
 */
export function parse(query: string): Query {
  if (query.length > MAX_QUERY_CHARS) {
    throw new LogharborError("LH_ERR_QUERY_TOO_LARGE", `query: ${query.length} characters, more than the limit of ${MAX_QUERY_CHARS}`, { position: MAX_QUERY_CHARS + 1 });
  }
  const nul = query.indexOf("\0");
  if (nul >= 0) throw querySyntaxError(`a NUL character (U+0000) at column ${nul + 1}; a query is text without NUL characters`, nul + 1);
  const lx = new Lexer(query);
  const q: Query = { kind: "query" };
  const seen = new Set<ClauseName>();

  const first = lx.peek("where");
  if (first.kind !== "eof" && !isCall(lx, first)) {
    q.where = parseWhereExpr(lx, true);
    seen.add("where");
  }
  for (;;) {
    const t = lx.peek("args");
    if (t.kind === "eof") break;
    if (t.kind === "rparen") throw unbalancedClose(t);
    if (t.kind !== "word") throw unexpected(t, `a function: ${FUNCTIONS_HINT}`);
    const name = t.value.toLowerCase() as ClauseName;
    if (!CLAUSES.includes(name)) {
      if (lx.charAfter(t) === "(") {
        const hint = q.where === undefined && seen.size === 0 ? ' (to search for a word followed by "(", put a space between them)' : "";
        throw querySyntaxError(`unknown function ${quoteText(t.value)} at column ${t.pos}; ${suggestion(t.value, CLAUSES)}${hint}`, t.pos);
      }
      throw unexpected(t, `a function: ${FUNCTIONS_HINT}`);
    }
    if (seen.has(name)) throw querySyntaxError(`duplicate ${name}() at column ${t.pos}; a query takes at most one ${name}()`, t.pos);
    seen.add(name);
    lx.next("args");
    switch (name) {
      case "where": {
        const where = parseWhere(lx);
        if (where !== undefined) q.where = where;
        break;
      }
      case "groupby":
        q.groupby = parseGroupBy(lx, t);
        break;
      case "calculate":
        q.calculate = parseCalculate(lx, t);
        break;
      case "timeslice":
        q.timeslice = parseTimeslice(lx, t);
        break;
      case "sort":
        q.sort = parseSort(lx, t);
        break;
      case "limit":
        q.limit = parseLimit(lx, t);
        break;
    }
  }
  check(q);
  return q;
}

/**
 * At the start of the query, a clause name followed by "(" is a clause, and any other name directly
 * followed by "(" a misspelt one.
 */
function isCall(lx: Lexer, t: Token): boolean {
  if (t.kind !== "word") return false;
  if ((CLAUSES as readonly string[]).includes(t.value.toLowerCase())) return lx.nonSpaceAfter(t) === "(";
  return /^[A-Za-z_]+$/.test(t.value) && lx.charAfter(t) === "(";
}

/** where( ... ) after the name; where() is the same as no where at all. */
function parseWhere(lx: Lexer): Expr | undefined {
  const open = openClause(lx, "where");
  if (lx.peek("where").kind === "eof") throw unbalanced(open);
  if (lx.peek("where").kind === "rparen") {
    lx.next("where");
    return undefined;
  }
  const expr = parseWhereExpr(lx, false);
  const close = lx.next("where");
  if (close.kind === "eof") throw unbalanced(open);
  if (close.kind !== "rparen") throw unexpected(close, '")"');
  return expr;
}

/** Rules that involve more than one clause. */
function check(q: Query): void {
  const stats = q.groupby !== undefined || q.calculate !== undefined || q.timeslice !== undefined;
  if (q.sort?.by === "key" && q.groupby === undefined) {
    throw querySyntaxError(`sort(${q.sort.direction}#key) at column ${q.sort.pos} needs groupby(...)`, q.sort.pos);
  }
  if (q.sort?.by === "value" && !stats) {
    throw querySyntaxError(`sort(${q.sort.direction}#value) at column ${q.sort.pos} needs calculate(...), groupby(...) or timeslice(...)`, q.sort.pos);
  }
}
