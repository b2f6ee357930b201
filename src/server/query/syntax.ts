// Small rules shared by the where() parser and the clause parsers: field names, numbers, closing
// parentheses.
import type { Scalar } from "./ast.js";
import type { LogharborError } from "../../core/errors.js";
import { querySyntaxError, quoteText, unexpected } from "./errors.js";
import type { Lexer, Token } from "./lexer.js";

/**
 * Field names: journal names (`_SYSTEMD_UNIT`, `PRIORITY`), aliases (`host`, `unit`), JSON keys and
 * dotted paths into parsed JSON (`req.status`, `items.0.id`, `@timestamp`, `content-type`).
 */
export const FIELD_NAME_RE = /^[A-Za-z_@$][\w@$-]*(\.[\w@$-]+)*$/;
export const FIELD_NAME_RULE = 'letters, digits, "_", "-", "@" and "$", not starting with a digit, with "." between path parts';

export function isFieldName(text: string): boolean {
  return FIELD_NAME_RE.test(text);
}

/** Throws unless `t` is a word that is a valid field name. */
export function checkFieldName(t: Token, expected = "a field name"): string {
  if (t.kind !== "word") throw unexpected(t, expected);
  if (!isFieldName(t.value)) throw querySyntaxError(`invalid field name ${quoteText(t.value)} at column ${t.pos}, expected ${FIELD_NAME_RULE}`, t.pos);
  return t.value;
}

/** Unquoted words that read as numbers: 42, -7, 3.14, 1e6, -2.5E-3. */
export const NUMBER_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * An unquoted value: a number when it reads as one and is exactly representable as an integer
 * (so long ids such as 12345678901234567890 stay strings), otherwise the text.
 */
export function toScalar(text: string): Scalar {
  if (!NUMBER_RE.test(text)) return text;
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(n)) return text;
  return n === 0 ? 0 : n;
}

/** "(" at `open` was never closed. */
export function unbalanced(open: Token): LogharborError {
  return querySyntaxError(`unbalanced parenthesis: "(" at column ${open.pos} is never closed`, open.pos);
}

/** ")" at `close` closes nothing. */
export function unbalancedClose(close: Token): LogharborError {
  return querySyntaxError(`unbalanced parenthesis: ")" at column ${close.pos} has no matching "("`, close.pos);
}

/** Consumes the ")" closing a clause opened at `open`; `hint` says why nothing else may follow. */
export function closeClause(lx: Lexer, open: Token, hint?: string): void {
  const t = lx.next("args");
  if (t.kind === "rparen") return;
  if (t.kind === "eof") throw unbalanced(open);
  throw unexpected(t, hint === undefined ? '")"' : `")" (${hint})`);
}

/** Consumes the "(" after a clause name. */
export function openClause(lx: Lexer, name: string): Token {
  const t = lx.next("args");
  if (t.kind !== "lparen") throw unexpected(t, `"(" after ${name}`);
  return t;
}
