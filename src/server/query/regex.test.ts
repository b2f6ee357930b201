import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import { checkedRegex, namedGroups, toCanonicalSource } from "./regex.js";

test("writes Python-style named groups in one spelling", () => {
  const table: Array<[string, string, string[]]> = [
    ["abc", "abc", []],
    ["(?P<status>\\d{3})", "(?<status>\\d{3})", ["status"]],
    ["(?<status>\\d{3})", "(?<status>\\d{3})", ["status"]],
    ["(?P<a>x)-(?P<b>y)", "(?<a>x)-(?<b>y)", ["a", "b"]],
    ["\\(?P<x>", "\\(?P<x>", []],
    ["[(?P<x>)]", "[(?P<x>)]", []],
    ["[\\]](?P<x>.)", "[\\]](?<x>.)", ["x"]],
    ["(?:c)(?i:d)", "(?:c)(?i:d)", []],
    ["(?P<outer>a(?P<inner>b))", "(?<outer>a(?<inner>b))", ["outer", "inner"]],
  ];
  for (const [written, js, groups] of table) {
    assert.equal(toCanonicalSource(written), js, written);
    assert.deepEqual(namedGroups(js), groups, written);
    assert.deepEqual(checkedRegex(written, "", 1), { source: js, groups }, written);
  }
});

test("reports regexes RE2 cannot compile with the engine's reason and the column", () => {
  const table: Array<[string, string]> = [
    ["(", "missing closing )"],
    ["*", "missing argument to repetition operator"],
    ["a{2,1}", "invalid repeat count"],
    ["(?P<a>x)(?P<a>y)", "duplicate capture group name"],
    ["\\uFFFF", "invalid escape sequence"],
    ["", "empty regular expression"],
  ];
  for (const [written, reason] of table) {
    assert.throws(
      () => checkedRegex(written, "", 9),
      (e: unknown) => e instanceof LogharborError && e.position === 9 && e.message.includes(reason) && e.message.includes("column 9"),
      written,
    );
  }
});

test("refuses backreferences and lookaround, naming the construct, its column and the RE2 dialect", () => {
  const table: Array<[string, string, number]> = [
    ["(a)\\1", "a backreference \\1", 14],
    ["(?P<w>\\w+) (?P=w)", "a named backreference (?P=name)", 22],
    ["(?<w>x)\\k<w>", "a named backreference \\k<name>", 18],
    ["foo(?=bar)", "a lookahead (?=...)", 14],
    ["foo(?!bar)", "a negative lookahead (?!...)", 14],
    ["(?<=a)b", "a lookbehind (?<=...)", 11],
    ["(?<!a)b", "a negative lookbehind (?<!...)", 11],
    ["(?>a+)b", "an atomic group (?>...)", 11],
  ];
  for (const [written, construct, column] of table) {
    assert.throws(
      () => checkedRegex(written, "", 10),
      (e: unknown) =>
        e instanceof LogharborError && e.code === "LH_ERR_QUERY_SYNTAX" && e.position === column &&
        e.message.includes(construct) && e.message.includes("RE2 syntax") && e.message.includes("ClickHouse"),
      written,
    );
  }
  // Inside a character class or escaped, the same characters are literals.
  for (const ok of ["[(?=]x", "\\(?=x\\)"]) assert.doesNotThrow(() => checkedRegex(ok, "", 1), ok);
});

test("refuses a regular expression longer than the limit, naming it", () => {
  assert.throws(
    () => checkedRegex("a".repeat(100_000), "", 7),
    (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_TOO_LARGE" && e.status === 400 && e.message.includes("limit of 4096"),
  );
});
