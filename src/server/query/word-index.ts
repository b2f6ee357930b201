// Many in-memory filters over the same stream of events (alerts on the ingest path) without running
// each over each event: a filter whose predicate cannot match an event lacking some word names its
// words, and an event is offered only to the filters one of whose words it contains — the event's
// words are found once (maximal runs of letters and digits of its lower-cased message), whatever
// the number of filters. Filters with no such word (field comparisons, regexes, negations) see
// every event. The rule (matchesEvent's): a term matches only whole runs, so each run of letters and
// digits in a term is a word of the message; a phrase is a substring, so only its inner runs are.
import type { Predicate } from "../storage/store.js";
import { isWordChar, lowerMessage, type MatchableEvent } from "./match.js";

/** Maximal runs of letters and digits of a lower-cased text. */
export function wordsOf(lower: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const w = i < lower.length && isWordChar(lower[i]!);
    if (w && start < 0) start = i;
    else if (!w && start >= 0) {
      out.push(lower.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/**
 * Words of which an event must contain at least one to match `p`, or undefined when there is no
 * such set (the predicate may match an event with none of them).
 */
export function requiredWords(p: Predicate | undefined): Set<string> | undefined {
  if (p === undefined) return undefined;
  switch (p.kind) {
    case "term": {
      const runs = wordsOf(p.value.toLowerCase());
      return runs.length === 0 ? undefined : new Set([runs.reduce((a, b) => (b.length > a.length ? b : a))]);
    }
    case "phrase": {
      const lower = p.value.toLowerCase();
      const runs = wordsOf(lower);
      // The first run is whole only if the phrase starts with a separator, the last if it ends with one.
      const inner = runs.filter((r, i) => (i > 0 || !isWordChar(lower[0]!)) && (i < runs.length - 1 || !isWordChar(lower[lower.length - 1]!)));
      return inner.length === 0 ? undefined : new Set([inner.reduce((a, b) => (b.length > a.length ? b : a))]);
    }
    case "and": {
      let best: Set<string> | undefined;
      for (const item of p.items) {
        const r = requiredWords(item);
        if (r && (!best || r.size < best.size)) best = r;
      }
      return best;
    }
    case "or": {
      const all = new Set<string>();
      for (const item of p.items) {
        const r = requiredWords(item);
        if (!r) return undefined;
        for (const w of r) all.add(w);
      }
      return all;
    }
    default:
      return undefined;
  }
}

/** Filters indexed by their required words. */
export class WordIndex<T> {
  private readonly byWord = new Map<string, T[]>();
  private readonly always: T[] = [];
  /** Lengths of the indexed words: a run of another length is never looked up (nor copied). */
  private readonly lengths = new Set<number>();

  add(item: T, where: Predicate | undefined): void {
    const words = requiredWords(where);
    if (!words) {
      this.always.push(item);
      return;
    }
    for (const w of words) {
      this.lengths.add(w.length);
      const list = this.byWord.get(w);
      if (list) list.push(item);
      else this.byWord.set(w, [item]);
    }
  }

  /** The filters that see every event. */
  get unindexed(): readonly T[] {
    return this.always;
  }

  get indexed(): boolean {
    return this.byWord.size > 0;
  }

  /** Calls `f` once for each indexed filter one of whose words the event contains. */
  candidates(e: MatchableEvent, f: (item: T) => void): void {
    const lower = lowerMessage(e);
    let seen: Set<T> | undefined;
    let start = -1;
    for (let i = 0; i <= lower.length; i++) {
      const w = i < lower.length && isWordChar(lower[i]!);
      if (w) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      const len = i - start;
      const s0 = start;
      start = -1;
      if (!this.lengths.has(len)) continue;
      const list = this.byWord.get(lower.slice(s0, i));
      if (!list) continue;
      for (const item of list) {
        seen ??= new Set<T>();
        if (seen.has(item)) continue;
        seen.add(item);
        f(item);
      }
    }
  }
}
