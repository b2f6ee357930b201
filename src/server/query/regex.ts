// Regular expressions in queries: LEQL accepts Python-style named groups, which JavaScript spells
// differently. Sources are converted once, at parse time, and checked by compiling them.
import { querySyntaxError } from "./errors.js";

/**
 * Python-style syntax to JavaScript: `(?P<name>...)` becomes `(?<name>...)` and the backreference
 * `(?P=name)` becomes `\k<name>`. Escaped characters and character classes are left alone.
 */
export function toJsRegexSource(source: string): string {
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
    } else if (source.startsWith("(?P=", i)) {
      const close = source.indexOf(")", i);
      if (close > 0) {
        out += `\\k<${source.slice(i + 4, close)}>`;
        i = close + 1;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** Names of the named groups `(?<name>...)` of a JavaScript source, in order. */
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
 * the engine's reason when it does not compile.
 */
export function checkedRegex(written: string, flags: string, column: number): { source: string; groups: string[] } {
  if (written === "") throw querySyntaxError(`empty regular expression at column ${column}`, column);
  const source = toJsRegexSource(written);
  try {
    new RegExp(source, flags);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const reason = msg.slice(msg.lastIndexOf(": ") + 2) || msg;
    throw querySyntaxError(`invalid regular expression /${written}/ at column ${column}: ${reason}`, column);
  }
  return { source, groups: namedGroups(source) };
}
