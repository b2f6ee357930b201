// Regular expressions in queries: RE2 syntax (core/regex/dialect.ts), named groups written either
// `(?P<name>...)` (LEQL's, Python's) or `(?<name>...)`. Sources are put in one spelling once, at
// parse time, and checked by compiling them with the engine every matcher uses.
import { LogharborError } from "../../core/errors.js";
import { MAX_REGEX_CHARS, unsupportedConstruct, DIALECT_HINT } from "../../core/regex/dialect.js";
import { compileRe2, RegexError } from "../../core/regex/re2.js";
import { querySyntaxError } from "./errors.js";

/**
 * One spelling of named groups: `(?P<name>...)` becomes `(?<name>...)` (RE2 reads both). Escaped
 * characters and character classes are left alone.
 */
export function toCanonicalSource(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === "\\") {
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
    } else if (source.startsWith("(?P<", i)) {
      out += "(?<";
      i += 4;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Names of the named groups `(?<name>...)` of a canonical source, in order. */
export function namedGroups(source: string): string[] {
  const out: string[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
    } else if (source.startsWith("(?<", i) && source[i + 3] !== "=" && source[i + 3] !== "!") {
      const close = source.indexOf(">", i);
      if (close > 0) out.push(source.slice(i + 3, close));
    }
  }
  return out;
}

/**
 * Converts and compiles a regex written in a query at `column`; throws LH_ERR_QUERY_SYNTAX with
 * the engine's reason when it does not compile (naming a backreference or lookaround, which RE2
 * does not have), LH_ERR_QUERY_TOO_LARGE when it is longer than MAX_REGEX_CHARS.
 */
export function checkedRegex(written: string, flags: string, column: number): { source: string; groups: string[] } {
  if (written === "") throw querySyntaxError(`empty regular expression at column ${column}`, column);
  if (written.length > MAX_REGEX_CHARS) {
    throw new LogharborError(
      "LH_ERR_QUERY_TOO_LARGE",
      `query: the regular expression at column ${column} has ${written.length} characters, more than the limit of ${MAX_REGEX_CHARS}`,
      { position: column },
    );
  }
  const bad = unsupportedConstruct(written);
  if (bad) {
    const at = column + 1 + bad.index;
    throw querySyntaxError(`${bad.construct} at column ${at} is not supported in /${written}/: ${DIALECT_HINT}`, at);
  }
  const source = toCanonicalSource(written);
  try {
    compileRe2(source, flags);
  } catch (e) {
    const reason = e instanceof RegexError ? e.reason : String(e);
    throw querySyntaxError(`invalid regular expression /${written}/ at column ${column}: ${reason}`, column);
  }
  return { source, groups: namedGroups(source) };
}
