// Compiled regular expressions of queries, cached by source and flags: a query's regex is tested
// against every row or event it scans, so compiling it once matters. Every user regex is compiled
// by the linear-time RE2 engine (core/regex/re2.ts): no pattern can make matching take more than
// time proportional to the text.
import { compileRe2, type UserRegex } from "./regex/re2.js";

const cache = new Map<string, UserRegex>();
const MAX_CACHED = 1000;

export function compiledRegex(source: string, flags: string): UserRegex {
  const key = `${flags}/${source}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = compileRe2(source, flags);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, re);
  }
  return re;
}
