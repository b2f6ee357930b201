// timeslice(N | DURATION): statistics per time bucket; N equal buckets over the searched range
// (1..1000), or buckets of a fixed duration such as 30s, 5m, 1h, 1d.
import { DURATION_UNITS } from "../ast.js";
import type { DurationUnit, Timeslice } from "../ast.js";
import { querySyntaxError, quoteText, unexpected } from "../errors.js";
import type { Lexer, Token } from "../lexer.js";
import { closeClause, openClause, unbalanced } from "../syntax.js";

export const MAX_TIMESLICE_BUCKETS = 1000;
const EXPECTED = "a number of buckets (1 to 1000) or a duration such as 30s, 5m, 1h, 1d";

export function parseTimeslice(lx: Lexer, name: Token): Timeslice {
  const open = openClause(lx, "timeslice");
  const t = lx.next("args");
  if (t.kind === "eof") throw unbalanced(open);
  if (t.kind !== "word") throw unexpected(t, EXPECTED);
  let size: Timeslice["size"];
  const buckets = /^\d+$/.exec(t.value);
  const duration = /^(\d+)([smhd])$/i.exec(t.value);
  if (buckets) {
    const count = Number(t.value);
    if (count < 1 || count > MAX_TIMESLICE_BUCKETS) {
      throw querySyntaxError(`timeslice buckets must be between 1 and ${MAX_TIMESLICE_BUCKETS}, got ${t.value} at column ${t.pos}`, t.pos);
    }
    size = { kind: "buckets", count };
  } else if (duration) {
    const amount = Number(duration[1]);
    const unit = duration[2]!.toLowerCase() as DurationUnit;
    if (amount < 1 || !Number.isSafeInteger(amount * DURATION_UNITS[unit])) {
      throw querySyntaxError(`timeslice duration must be positive and finite, got ${t.value} at column ${t.pos}`, t.pos);
    }
    size = { kind: "duration", amount, unit, ms: amount * DURATION_UNITS[unit] };
  } else {
    throw querySyntaxError(`invalid timeslice ${quoteText(t.value)} at column ${t.pos}, expected ${EXPECTED}`, t.pos);
  }
  closeClause(lx, open);
  return { kind: "timeslice", size, pos: name.pos };
}

export function formatTimeslice(t: Timeslice): string {
  return `timeslice(${t.size.kind === "buckets" ? t.size.count : `${t.size.amount}${t.size.unit}`})`;
}
