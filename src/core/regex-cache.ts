// Compiled regular expressions of queries, cached by source and flags: a query's regex is tested
// against every row or event it scans, so compiling it once matters. Flags g and y are dropped
// (a tested regex must not carry lastIndex state between rows).
const cache = new Map<string, RegExp>();
const MAX_CACHED = 1000;

export function compiledRegex(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = new RegExp(source, flags.replace(/[gy]/g, ""));
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, re);
  }
  return re;
}
