// Query errors. Every syntax problem is one LogharborError with code LH_ERR_QUERY_SYNTAX, a message
// that starts with "query:" and names what was found and what was expected, and the 1-based column
// of the offending text (`position`), which the HTTP API returns as-is.
import { LogharborError } from "../../core/errors.js";

/** A syntax error at `column` (1-based). `message` is the part after "query: ". */
export function querySyntaxError(message: string, column: number): LogharborError {
  return new LogharborError("LH_ERR_QUERY_SYNTAX", `query: ${message}`, { position: column });
}

/** Quotes a piece of the query for a message, shortened when long. */
export function quoteText(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(short);
}

/** `unexpected "x" at column N, expected ...` (or "unexpected end of query"). */
export function unexpected(found: { kind: string; text: string; pos: number }, expected: string): LogharborError {
  const what = found.kind === "eof" ? "end of query" : quoteText(found.text);
  return querySyntaxError(`unexpected ${what} at column ${found.pos}, expected ${expected}`, found.pos);
}
