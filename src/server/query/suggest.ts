// "Did you mean ...?" for misspelt names (functions, calculate functions, sort directions).

/** Levenshtein distance between two short strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `name` (case-insensitive), if it is close enough to be a likely typo:
 * within 2 edits, or a prefix of at least 3 letters, or a listed synonym.
 */
export function nearestName(name: string, candidates: readonly string[], synonyms: Readonly<Record<string, string>> = {}): string | undefined {
  const n = name.toLowerCase();
  const syn = synonyms[n];
  if (syn !== undefined) return syn;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    // Ties go to the candidate with the same first letter ("dsc": "desc" rather than "asc").
    const d = editDistance(n, c.toLowerCase()) - (c[0]?.toLowerCase() === n[0] ? 0.5 : 0);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best !== undefined && Math.ceil(bestD) <= Math.min(2, Math.max(1, n.length - 2))) return best;
  if (n.length >= 3) return candidates.find((c) => c.toLowerCase().startsWith(n));
  return undefined;
}

/** `did you mean "x"?` or `expected one of a, b, c`, for the tail of an "unknown ..." message. */
export function suggestion(name: string, candidates: readonly string[], synonyms: Readonly<Record<string, string>> = {}): string {
  const near = nearestName(name, candidates, synonyms);
  return near !== undefined ? `did you mean "${near}"?` : `expected one of ${candidates.join(", ")}`;
}
