// The regex dialect of every regular expression a user writes (queries, live tail, alerts): RE2
// syntax, which matches in time linear in the text whatever the pattern (no catastrophic
// backtracking), and is also the dialect ClickHouse's match() speaks, so a query means the same on
// every backend. RE2 has no backreferences and no lookaround; this names them when written, rather
// than leaving the engine's terse "invalid escape sequence".

/** What a pattern is measured against before it is compiled (compiling is linear in its length, not free). */
export const MAX_REGEX_CHARS = 4096;

/** One line for messages: the dialect and where it differs from JavaScript's and PCRE's. */
export const DIALECT_HINT = "regular expressions are RE2 syntax (as in ClickHouse and Go), which has no backreferences or lookaround";

/** A construct of backtracking engines that RE2 does not have, found at `index` of the pattern. */
export interface Unsupported {
  construct: string;
  index: number;
}

const GROUPS: ReadonlyArray<[string, string]> = [
  ["(?<=", "a lookbehind (?<=...)"],
  ["(?<!", "a negative lookbehind (?<!...)"],
  ["(?=", "a lookahead (?=...)"],
  ["(?!", "a negative lookahead (?!...)"],
  ["(?>", "an atomic group (?>...)"],
  ["(?P=", "a named backreference (?P=name)"],
];

/** The first backreference or lookaround in `source` (outside character classes), if any. */
export function unsupportedConstruct(source: string): Unsupported | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const n = source[i + 1] ?? "";
      if (!inClass && n >= "1" && n <= "9") return { construct: `a backreference \\${n}`, index: i };
      if (!inClass && n === "k" && source[i + 2] === "<") return { construct: "a named backreference \\k<name>", index: i };
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      // "]" right after "[" or "[^" is a literal.
      if (source[i + 1] === "^") i++;
      if (source[i + 1] === "]") i++;
      continue;
    }
    if (c === "(") for (const [open, construct] of GROUPS) if (source.startsWith(open, i)) return { construct, index: i };
  }
  return undefined;
}
