// sort(asc|desc[#value|#key]): with statistics, orders the groups by calculated value (default)
// or by group key; without statistics, orders events by time (asc = oldest first).
import type { Sort } from "../ast.js";
import { querySyntaxError, quoteText, unexpected } from "../errors.js";
import type { Lexer, Token } from "../lexer.js";
import { suggestion } from "../suggest.js";
import { closeClause, openClause, unbalanced } from "../syntax.js";

const DIRECTIONS = ["asc", "desc"] as const;
const KEYS = ["value", "key"] as const;
const SYNONYMS: Readonly<Record<string, string>> = { ascending: "asc", descending: "desc", up: "asc", down: "desc" };

export function parseSort(lx: Lexer, name: Token): Sort {
  const open = openClause(lx, "sort");
  const t = lx.next("args");
  if (t.kind === "eof") throw unbalanced(open);
  if (t.kind !== "word") throw unexpected(t, "asc or desc");
  const direction = t.value.toLowerCase();
  if (direction !== "asc" && direction !== "desc") {
    throw querySyntaxError(`unknown sort direction ${quoteText(t.value)} at column ${t.pos}; ${suggestion(t.value, DIRECTIONS, SYNONYMS)}`, t.pos);
  }
  const sort: Sort = { kind: "sort", direction, pos: name.pos };
  if (lx.peek("args").kind === "hash") {
    lx.next("args");
    const k = lx.next("args");
    if (k.kind === "eof") throw unbalanced(open);
    if (k.kind !== "word") throw unexpected(k, "value or key after #");
    const by = k.value.toLowerCase();
    if (by !== "value" && by !== "key") throw querySyntaxError(`unknown sort key ${quoteText(k.value)} at column ${k.pos}; ${suggestion(k.value, KEYS)}`, k.pos);
    sort.by = by;
  }
  closeClause(lx, open);
  return sort;
}

export function formatSort(s: Sort): string {
  return `sort(${s.direction}${s.by ? `#${s.by}` : ""})`;
}
