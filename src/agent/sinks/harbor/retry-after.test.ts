import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRetryAfter } from "./retry-after.js";

test("reads Retry-After as seconds or as an HTTP date", () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  const table: [string | string[] | undefined, number | undefined][] = [
    ["3", 3000],
    [" 0 ", 0],
    [["7", "9"], 7000],
    ["Wed, 01 May 2024 12:00:05 GMT", 5000],
    ["Wed, 01 May 2024 11:00:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
    [undefined, undefined],
  ];
  for (const [input, ms] of table) assert.equal(parseRetryAfter(input, now), ms, JSON.stringify(input));
});
