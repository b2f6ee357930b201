// The word index never hides a match: on generated messages and predicates, every filter that
// matches an event is offered it (the index only spares filters that cannot match).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Predicate } from "../storage/store.js";
import { matchesEvent } from "./match.js";
import { requiredWords, WordIndex, wordsOf } from "./word-index.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const PIECES = ["error", "Error:", "timeout", "db-error", "errors", "ÉCHEC", "échec", "status=500", "/api/v1", "a", "42", "x_y", " ", " ", "  ", "-", "=", "ß", "İstanbul"];

test("words are maximal runs of letters and digits", () => {
  assert.deepEqual(wordsOf("db-error: status=500 ok_2 échec"), ["db", "error", "status", "500", "ok", "2", "échec"]);
  assert.deepEqual([...requiredWords({ kind: "term", value: "status=500" })!], ["status"]);
  assert.equal(requiredWords({ kind: "phrase", value: "rror tim" }), undefined);
  assert.deepEqual([...requiredWords({ kind: "phrase", value: "upstream timeout after" })!], ["timeout"]);
  assert.equal(requiredWords({ kind: "or", items: [{ kind: "term", value: "a" }, { kind: "regex", source: "x", flags: "" }] }), undefined);
});

test("every filter that matches an event is among its candidates (randomized)", () => {
  const r = rng(7);
  const pick = () => PIECES[Math.floor(r() * PIECES.length)]!;
  const leaf = (): Predicate => (r() < 0.6 ? { kind: "term", value: pick().trim() || "error" } : { kind: "phrase", value: `${pick()}${pick()}`.trim() || "a" });
  const pred = (d: number): Predicate => {
    const x = r();
    if (d > 2 || x < 0.5) return leaf();
    if (x < 0.75) return { kind: "and", items: [pred(d + 1), pred(d + 1)] };
    if (x < 0.95) return { kind: "or", items: [pred(d + 1), pred(d + 1)] };
    return { kind: "not", item: pred(d + 1) };
  };
  const filters = Array.from({ length: 200 }, () => pred(0));
  const index = new WordIndex<number>();
  filters.forEach((p, i) => index.add(i, p));
  let matches = 0;
  for (let n = 0; n < 3000; n++) {
    const message = Array.from({ length: 1 + Math.floor(r() * 8) }, pick).join("");
    const event = { message, fields: {} };
    const offered = new Set<number>(index.unindexed);
    index.candidates(event, (i) => offered.add(i));
    filters.forEach((p, i) => {
      if (matchesEvent(p, { message, fields: {} })) {
        matches++;
        assert.ok(offered.has(i), `filter ${JSON.stringify(p)} matches ${JSON.stringify(message)} but was not offered it`);
      }
    });
  }
  assert.ok(matches > 1000, `the generated cases match often enough to test something (${matches})`);
});
