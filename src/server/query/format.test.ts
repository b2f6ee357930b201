import { test } from "node:test";
import assert from "node:assert/strict";
import { withoutPositions } from "./ast.js";
import type { CompareOp, Expr, Query, Scalar } from "./ast.js";
import { format } from "./format.js";
import { and, CANONICAL_CASES, cmp, not, or, phrase, Q, re, term, VALID_CASES } from "./grammar-cases.js";
import { parse } from "./parser.js";

/** parse(format(ast)) gives ast back (positions aside), and format is idempotent. */
function roundTrips(ast: Query, label: string): string | undefined {
  const text = format(ast);
  try {
    const again = parse(text);
    assert.deepEqual(withoutPositions(again), withoutPositions(ast));
    assert.equal(format(again), text);
    return undefined;
  } catch (e) {
    return `${label} -> ${JSON.stringify(text)}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

test("format(parse(q)) parses back to the same query for every valid query of the grammar tables", () => {
  const failures = VALID_CASES.map(([q]) => roundTrips(parse(q), JSON.stringify(q))).filter((f) => f !== undefined);
  assert.deepEqual(failures, []);
  assert.ok(VALID_CASES.length > 250, `only ${VALID_CASES.length} valid cases`);
});

test("prints the canonical text: where first, upper-case operators, explicit AND, minimal quotes", () => {
  const failures: string[] = [];
  for (const [query, want] of CANONICAL_CASES) {
    const got = format(parse(query));
    if (got !== want) failures.push(`${JSON.stringify(query)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  assert.deepEqual(failures, []);
});

// A small deterministic generator of query trees, to round-trip shapes nobody wrote by hand.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TERMS = ["error", "Timeout", "nginx.service", "10:30", "[WARN]", "a,b", "-5", "3.14", "x/y", "café", "it's", "#1", "in", "contains", "groupby", "where", "!bang", "e=mc"].filter((t) => !t.includes("="));
const STRINGS = ["", "a", "two words", 'say "hi"', "back\\slash", "AND", "or", "In", "500", "-1.5", "1e3", "/var/log", "/x/", "(x)", "a]b", "a,b", "日本", "tab\there", "line\nbreak", "#", "x=y", "a!=b", "nginx.service", "12345678901234567890"];
const NUMBERS = [0, 1, -1, 42, 2.5, -0.125, 1e21, 1.5e-7, 123456789, 9007199254740991];
const FIELDS = ["status", "host", "_SYSTEMD_UNIT", "req.status", "items.0.id", "@ts", "content-type"];
const REGEXES: Array<[string, string, string[]]> = [
  ["a+", "", []],
  ["(?<s>\\d{3})", "i", ["s"]],
  ["[/]x\\/y", "m", []],
  ["^\\s*$", "ms", []],
  ["(?<a>x)(?<b>y)", "", ["a", "b"]],
];
const OPS: CompareOp[] = ["=", "!=", "<", "<=", ">", ">=", "in", "contains", "starts-with"];

function genExpr(r: () => number, depth: number, parent?: "and" | "or"): Expr {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const scalar = (): Scalar => (r() < 0.5 ? pick(NUMBERS) : pick(STRINGS));
  const roll = r();
  if (depth > 0 && roll < 0.35) {
    const kinds = (["and", "or"] as const).filter((k) => k !== parent);
    const kind = pick(kinds);
    const n = 2 + Math.floor(r() * 3);
    const items = Array.from({ length: n }, () => genExpr(r, depth - 1, kind));
    return kind === "and" ? and(...items) : or(...items);
  }
  if (depth > 0 && roll < 0.45) return not(genExpr(r, depth - 1));
  switch (Math.floor(r() * 4)) {
    case 0:
      return term(pick(TERMS));
    case 1:
      return phrase(pick(STRINGS.filter((s) => s !== "")));
    case 2: {
      const [source, flags, groups] = pick(REGEXES);
      return re(source, flags, groups);
    }
    default: {
      const op = pick(OPS);
      if (op === "in") return cmp(pick(FIELDS), op, Array.from({ length: 1 + Math.floor(r() * 3) }, scalar));
      if (op === "contains" || op === "starts-with") return cmp(pick(FIELDS), op, String(scalar()));
      return cmp(pick(FIELDS), op, scalar());
    }
  }
}

test("round-trips 1000 generated query trees through format and parse", () => {
  const r = rng(20240501);
  const failures: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const stats = r() < 0.3 ? { groupby: ["host"], calc: ["percentile", "ms", 99.5] as ["percentile", string, number], slice: [5, "m"] as [number, "m"], limit: 7 } : {};
    const ast = Q({ where: genExpr(r, 4), ...stats });
    const f = roundTrips(ast, `#${i}`);
    if (f) failures.push(f);
  }
  assert.deepEqual(failures.slice(0, 10), []);
});
