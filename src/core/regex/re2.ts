// The one engine for user regular expressions: re2js, a pure-JavaScript port of RE2 (linear-time
// matching, RE2 syntax). Chosen over re2-wasm (5-7x slower than re2js on log lines, measured) and
// the native re2 binding (compiles C++ from source at install: minutes per fresh machine) — see
// docs/query-language.md. Flags as in LEQL: i (ignore case), m (^ and $ per line), s (. matches
// newlines), u (accepted; RE2 always matches Unicode code points).
import { RE2JS } from "re2js";
import { DIALECT_HINT, MAX_REGEX_CHARS, unsupportedConstruct } from "./dialect.js";

/** A compiled user regex. */
export interface UserRegex {
  /** Whether it matches anywhere in `text`. */
  test(text: string): boolean;
  /** The named groups' values of the first match (a group that took no part: absent); undefined without a match. */
  groups(text: string): Record<string, string> | undefined;
}

/** Why a pattern is refused: `reason` reads after "invalid regular expression /.../: ". */
export class RegexError extends Error {
  constructor(
    readonly reason: string,
    /** Index in the pattern of the offending construct, when known. */
    readonly index?: number,
  ) {
    super(reason);
    this.name = "RegexError";
  }
}

const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0,
  g: 0,
  y: 0,
};

/** Compiles `source` with RE2 semantics; throws RegexError naming what is wrong and the dialect. */
export function compileRe2(source: string, flags: string): UserRegex {
  if (source.length > MAX_REGEX_CHARS) {
    throw new RegexError(`${source.length} characters, longer than the limit of ${MAX_REGEX_CHARS} characters for one regular expression`);
  }
  const bad = unsupportedConstruct(source);
  if (bad) throw new RegexError(`${bad.construct} at character ${bad.index + 1} is not supported: ${DIALECT_HINT}`, bad.index);
  let bits = 0;
  for (const f of flags) {
    const b = FLAG_BITS[f];
    if (b === undefined) throw new RegexError(`unknown flag "${f}", expected i, m, s or u`);
    bits |= b;
  }
  let p: RE2JS;
  try {
    p = RE2JS.compile(source, bits);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /, "");
    throw new RegexError(`${msg} (${DIALECT_HINT})`);
  }
  const names = Object.keys(p.namedGroups());
  return {
    test: (text) => p.test(text),
    groups: (text) => {
      const m = p.matcher(text);
      if (!m.find()) return undefined;
      const out = Object.create(null) as Record<string, string>;
      for (const n of names) {
        const v = m.group(n);
        if (v !== null) out[n] = v;
      }
      return out;
    },
  };
}
