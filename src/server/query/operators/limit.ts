// limit(N): at most N groups (with statistics) or N events (without).
import type { Limit } from "../ast.js";
import { querySyntaxError, quoteText, unexpected } from "../errors.js";
import type { Lexer, Token } from "../lexer.js";
import { closeClause, openClause, unbalanced } from "../syntax.js";

export const MAX_LIMIT = 100_000;

export function parseLimit(lx: Lexer, name: Token): Limit {
  const open = openClause(lx, "limit");
  const t = lx.next("args");
  if (t.kind === "eof") throw unbalanced(open);
  if (t.kind !== "word") throw unexpected(t, "a positive integer");
  if (!/^\d+$/.test(t.value) || Number(t.value) < 1) {
    throw querySyntaxError(`limit must be a positive integer, got ${quoteText(t.value)} at column ${t.pos}`, t.pos);
  }
  const count = Number(t.value);
  if (count > MAX_LIMIT) throw querySyntaxError(`limit must be at most ${MAX_LIMIT}, got ${t.value} at column ${t.pos}`, t.pos);
  closeClause(lx, open);
  return { kind: "limit", count, pos: name.pos };
}

export function formatLimit(l: Limit): string {
  return `limit(${l.count})`;
}
