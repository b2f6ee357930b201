import { test } from "node:test";
import assert from "node:assert/strict";
import { timeValueUs } from "./time-value.js";

test("document times read as RFC 3339 text or epoch numbers of any unit", () => {
  const us = Date.UTC(2026, 0, 2, 3, 4, 5) * 1000;
  const cases: Array<[unknown, number | undefined]> = [
    ["2026-01-02T03:04:05Z", us],
    ["2026-01-02T03:04:05.123456789Z", us + 123456],
    ["2026-01-02T04:04:05.5+01:00", us + 500000],
    ["2026-01-02 03:04:05", us],
    [us / 1e6, us],
    [us / 1e3, us],
    [String(us), us],
    [us * 1000, us],
    ["yesterday", undefined],
    [null, undefined],
    [-5, undefined],
  ];
  for (const [v, want] of cases) assert.equal(timeValueUs(v), want, String(v));
});
