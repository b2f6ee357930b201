import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import { withoutPositions } from "./ast.js";
import type { BoolExpr, CompareExpr, NotExpr, Query } from "./ast.js";
import { BOOLEAN_CASES, COMPARE_CASES, INVALID_CASES, SEARCH_CASES, STATS_CASES } from "./grammar-cases.js";
import { parse } from "./parser.js";

/** Runs every row and reports every failing one at once. */
function checkTable(table: Array<[string, Query]>): void {
  const failures: string[] = [];
  for (const [query, want] of table) {
    try {
      assert.deepEqual(withoutPositions(parse(query)), want);
    } catch (e) {
      failures.push(`${JSON.stringify(query)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${table.length} rows failed`);
}

test("parses keywords, phrases, regexes and bare queries as where()", () => checkTable(SEARCH_CASES));

test("parses OR looser than AND looser than NOT, with adjacency as AND and parentheses", () => checkTable(BOOLEAN_CASES));

test("parses field comparisons on journal names, aliases and JSON paths, numbers as numbers", () => checkTable(COMPARE_CASES));

test("parses groupby, calculate, timeslice, sort and limit in any order and case", () => checkTable(STATS_CASES));

test("rejects malformed queries with LH_ERR_QUERY_SYNTAX, the column and a clear message", () => {
  const seen = new Set<string>();
  const failures: string[] = [];
  for (const [query, column, fragment] of INVALID_CASES) {
    assert.ok(!seen.has(query), `duplicate case ${query}`);
    seen.add(query);
    try {
      check(query, column, fragment);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${INVALID_CASES.length} rows failed`);
});

function check(query: string, column: number, fragment: string): void {
  {
    assert.throws(
      () => parse(query),
      (e: unknown) => {
        assert.ok(e instanceof LogharborError, `${JSON.stringify(query)} threw ${String(e)}`);
        assert.equal(e.code, "LH_ERR_QUERY_SYNTAX", query);
        assert.ok(e.message.startsWith("query: "), `${query}: ${e.message}`);
        assert.ok(e.message.includes(fragment), `${JSON.stringify(query)}: ${JSON.stringify(e.message)} lacks ${JSON.stringify(fragment)}`);
        assert.equal(e.position, column, `${JSON.stringify(query)}: ${e.message}`);
        assert.equal(e.status, 400);
        assert.deepEqual(e.toJSON(), { code: "LH_ERR_QUERY_SYNTAX", message: e.message, position: column });
        return true;
      },
      JSON.stringify(query),
    );
  }
}

test("records the column of every node so later errors can point at the query text", () => {
  const text =
    'where(error AND status >= 500 OR NOT "a b" /(?P<ms>\\d+)/ host IN [x]) groupby(host, ms) calculate(percentile(95):ms) timeslice(5m) sort(desc) limit(3)';
  const col = (s: string, from = 0) => text.indexOf(s, from) + 1;
  const q = parse(text);
  const or = q.where as BoolExpr;
  const [left, right] = or.items as [BoolExpr, BoolExpr];
  assert.equal(or.pos, col("error"));
  assert.equal(left.pos, col("error"));
  assert.deepEqual(
    left.items.map((i) => i.pos),
    [col("error"), col("status")],
  );
  assert.equal((left.items[1] as CompareExpr).valuePos, col("500"));
  assert.equal(right.pos, col("NOT"));
  assert.deepEqual(
    right.items.map((i) => i.pos),
    [col("NOT"), col("/(?P"), col("host IN")],
  );
  assert.equal((right.items[0] as NotExpr).item.pos, col('"a b"'));
  assert.equal((right.items[2] as CompareExpr).valuePos, col("[x]"));
  assert.equal(q.groupby?.pos, col("groupby"));
  assert.deepEqual(
    q.groupby?.fields.map((f) => f.pos),
    [col("host", col("groupby")), col("ms)")],
  );
  assert.equal(q.calculate?.pos, col("calculate"));
  assert.equal(q.calculate?.field?.pos, col("ms", col("calculate")));
  assert.equal(q.timeslice?.pos, col("timeslice"));
  assert.equal(q.sort?.pos, col("sort"));
  assert.equal(q.limit?.pos, col("limit"));
});

test("counts columns from 1 across lines and in implicit where", () => {
  const table: Array<[string, number[]]> = [
    ["error", [1]],
    ["  error timeout", [3, 9]],
    ["a\nb", [1, 3]],
    ["where(\n  a\n  b)", [10, 14]],
    ['x=1 "y" /z/', [1, 5, 9]],
  ];
  for (const [query, cols] of table) {
    const w = parse(query).where!;
    const items = w.kind === "and" ? w.items : [w];
    assert.deepEqual(
      items.map((i) => i.pos),
      cols,
      query,
    );
  }
});

test("parses a long generated query without exhausting the stack", () => {
  const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
  const q = parse(words.join(" OR "));
  assert.equal(q.where?.kind, "or");
  const nested = `${"(".repeat(200)}a${")".repeat(200)}`;
  assert.deepEqual(withoutPositions(parse(nested).where), { kind: "term", value: "a" });
});

test("refuses nesting deeper than 200 levels with a syntax error rather than a crash", () => {
  for (const q of [`${"(".repeat(60_000)}a`, `${"NOT ".repeat(16_000)}a`, `where(${"(".repeat(201)}a${")".repeat(201)})`]) {
    assert.throws(
      () => parse(q),
      (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_SYNTAX" && e.message.includes("nested too deeply"),
    );
  }
});

test("refuses a query, a regex or a where() beyond its size limit with LH_ERR_QUERY_TOO_LARGE naming the limit", () => {
  const table: Array<[string, string, RegExp]> = [
    ["20,000 OR terms", Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(" OR "), /more than the limit of 65536/],
    ["3,000 terms", Array.from({ length: 3000 }, () => "a").join(" "), /more than 200 search terms in where\(\), the limit \(the one at column 401 is one too many/],
    ["IN lists of 1,500 values", `host IN [${Array.from({ length: 1000 }, (_, i) => `h${i}`).join(",")}] unit IN [${Array.from({ length: 500 }, (_, i) => `u${i}`).join(",")}]`, /more than 1000 values in the IN lists of where\(\), the limit/],
    ["a 100 KB regex", `/${"a".repeat(100_000)}/`, /more than the limit of 65536|limit of 4096/],
    ["a 5,000-character regex", `/${"a".repeat(5000)}/`, /5000 characters, more than the limit of 4096/],
    ["a 1 MB query", `error ${"x".repeat(1_000_000)}`, /1000006 characters, more than the limit of 65536/],
  ];
  for (const [what, q, message] of table) {
    assert.throws(
      () => parse(q),
      (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_TOO_LARGE" && e.status === 400 && message.test(e.message),
      what,
    );
  }
});
