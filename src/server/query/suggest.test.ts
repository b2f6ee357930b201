import { test } from "node:test";
import assert from "node:assert/strict";
import { editDistance, nearestName } from "./suggest.js";

test("suggests the nearest name for typos, prefixes and synonyms, and nothing for unrelated words", () => {
  const names = ["where", "groupby", "calculate", "timeslice", "sort", "limit"];
  const table: Array<[string, string | undefined]> = [
    ["grupby", "groupby"],
    ["GROUPBY", "groupby"],
    ["gropuby", "groupby"],
    ["wher", "where"],
    ["whree", "where"],
    ["calc", "calculate"],
    ["calcualte", "calculate"],
    ["timeslic", "timeslice"],
    ["limt", "limit"],
    ["srot", "sort"],
    ["so", undefined],
    ["x", undefined],
    ["banana", undefined],
    ["count", undefined],
  ];
  for (const [input, want] of table) assert.equal(nearestName(input, names), want, input);
  assert.equal(nearestName("avg", ["average"], { avg: "average" }), "average");
  assert.equal(nearestName("dsc", ["asc", "desc"]), "desc");
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
});
