// calculate(FN[:field]): the statistic computed over matching events (per group with groupby(),
// per bucket with timeslice()). count and bytes take no field; percentile(N):field takes N in 0..100.
import { CALC_FUNCTIONS, CALC_WITHOUT_FIELD } from "../ast.js";
import type { Calculate, CalcFn, FieldRef } from "../ast.js";
import { querySyntaxError, quoteText, unexpected } from "../errors.js";
import type { Lexer, Token } from "../lexer.js";
import { suggestion } from "../suggest.js";
import { checkFieldName, closeClause, NUMBER_RE, openClause, unbalanced } from "../syntax.js";

const SYNONYMS: Readonly<Record<string, string>> = { avg: "average", mean: "average", distinct: "unique", cnt: "count", total: "sum", p: "percentile" };

export function parseCalculate(lx: Lexer, name: Token): Calculate {
  const open = openClause(lx, "calculate");
  const t = lx.next("args");
  if (t.kind === "eof") throw unbalanced(open);
  if (t.kind !== "word") throw unexpected(t, `a function: ${CALC_FUNCTIONS.join(", ")}`);
  const fn = t.value.toLowerCase() as CalcFn;
  if (!CALC_FUNCTIONS.includes(fn)) {
    throw querySyntaxError(`unknown calculate function ${quoteText(t.value)} at column ${t.pos}; ${suggestion(t.value, CALC_FUNCTIONS, SYNONYMS)}`, t.pos);
  }
  const calc: Calculate = { kind: "calculate", fn, pos: name.pos };
  if (fn === "percentile") calc.percentile = parsePercentile(lx);
  if (lx.peek("args").kind === "colon") {
    lx.next("args");
    const f = lx.next("args");
    if (f.kind === "eof") throw unbalanced(open);
    const field: FieldRef = { name: checkFieldName(f, `a field name after "${t.value}:"`), pos: f.pos };
    if (CALC_WITHOUT_FIELD.includes(fn)) throw querySyntaxError(`calculate function "${fn}" takes no field, got "${field.name}" at column ${f.pos}`, f.pos);
    calc.field = field;
  } else if (!CALC_WITHOUT_FIELD.includes(fn)) {
    throw querySyntaxError(`calculate function "${fn}" at column ${t.pos} needs a field, expected ${fn === "percentile" ? `percentile(${calc.percentile})` : fn}:FIELD`, t.pos);
  }
  closeClause(lx, open, "calculate() takes one function");
  return calc;
}

function parsePercentile(lx: Lexer): number {
  const open = lx.next("args");
  if (open.kind !== "lparen") throw unexpected(open, '"(" after percentile, as in percentile(95):FIELD');
  const n = lx.next("args");
  if (n.kind === "eof") throw unbalanced(open);
  if (n.kind !== "word" || !NUMBER_RE.test(n.value)) throw unexpected(n, "a percentile between 0 and 100");
  const value = Number(n.value);
  if (!(value >= 0 && value <= 100)) throw querySyntaxError(`percentile must be between 0 and 100, got ${n.value} at column ${n.pos}`, n.pos);
  closeClause(lx, open);
  return value === 0 ? 0 : value;
}

export function formatCalculate(c: Calculate): string {
  const fn = c.fn === "percentile" ? `percentile(${c.percentile ?? 50})` : c.fn;
  return `calculate(${c.field ? `${fn}:${c.field.name}` : fn})`;
}
