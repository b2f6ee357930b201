import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import { checkedRegex, namedGroups, toJsRegexSource } from "./regex.js";

test("converts Python-style named groups and backreferences to JavaScript syntax", () => {
  const table: Array<[string, string, string[]]> = [
    ["abc", "abc", []],
    ["(?P<status>\\d{3})", "(?<status>\\d{3})", ["status"]],
    ["(?<status>\\d{3})", "(?<status>\\d{3})", ["status"]],
    ["(?P<a>x)-(?P<b>y)", "(?<a>x)-(?<b>y)", ["a", "b"]],
    ["(?P<w>\\w+) (?P=w)", "(?<w>\\w+) \\k<w>", ["w"]],
    ["\\(?P<x>", "\\(?P<x>", []],
    ["[(?P<x>)]", "[(?P<x>)]", []],
    ["[\\]](?P<x>.)", "[\\]](?<x>.)", ["x"]],
    ["(?<=a)(?<!b)(?:c)", "(?<=a)(?<!b)(?:c)", []],
    ["(?P<outer>a(?P<inner>b))", "(?<outer>a(?<inner>b))", ["outer", "inner"]],
  ];
  for (const [written, js, groups] of table) {
    assert.equal(toJsRegexSource(written), js, written);
    assert.deepEqual(namedGroups(js), groups, written);
    assert.deepEqual(checkedRegex(written, "", 1), { source: js, groups }, written);
  }
});

test("reports regexes JavaScript cannot compile with the engine's reason and the column", () => {
  const table: Array<[string, string]> = [
    ["(", "Unterminated group"],
    ["*", "Nothing to repeat"],
    ["a{2,1}", "numbers out of order"],
    ["(?P<a>x)(?P<a>y)", "Duplicate capture group name"],
    ["(?<1>x)", "Invalid capture group name"],
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
