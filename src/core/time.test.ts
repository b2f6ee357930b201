import { test } from "node:test";
import assert from "node:assert/strict";
import { durationSeconds, formatDuration, formatIsoUs, parseTimeUs } from "./time.js";
import { LogharborError } from "./errors.js";

const now = Date.UTC(2024, 4, 1, 12, 0, 0) * 1000;

test("parses every accepted time form to microseconds", () => {
  const table: Array<[string, number]> = [
    ["now", now],
    [" NOW ", now],
    ["-30s", now - 30e6],
    ["-15m", now - 15 * 60e6],
    ["-1h", now - 3600e6],
    ["-7d", now - 7 * 86400e6],
    ["-2w", now - 14 * 86400e6],
    ["today", Date.UTC(2024, 4, 1) * 1000],
    ["Yesterday", Date.UTC(2024, 3, 30) * 1000],
    ["tomorrow", Date.UTC(2024, 4, 2) * 1000],
    ["2 hours ago", now - 2 * 3600e6],
    ["30 min ago", now - 30 * 60e6],
    ["1 day ago", now - 86400e6],
    ["90s ago", now - 90e6],
    ["1714564800000", 1714564800000 * 1000],
    ["2024-05-01", Date.UTC(2024, 4, 1) * 1000],
    ["2024-05-01T12:30", Date.UTC(2024, 4, 1, 12, 30) * 1000],
    ["2024-05-01 12:30:15", Date.UTC(2024, 4, 1, 12, 30, 15) * 1000],
    ["2024-05-01T12:30:15Z", Date.UTC(2024, 4, 1, 12, 30, 15) * 1000],
    ["2024-05-01T12:30:15.5Z", Date.UTC(2024, 4, 1, 12, 30, 15) * 1000 + 500000],
    ["2024-05-01T12:30:15.000001Z", Date.UTC(2024, 4, 1, 12, 30, 15) * 1000 + 1],
    ["2024-05-01T12:30:15.123456789Z", Date.UTC(2024, 4, 1, 12, 30, 15) * 1000 + 123456],
    ["2024-05-01T12:30:15+02:00", Date.UTC(2024, 4, 1, 10, 30, 15) * 1000],
    ["2024-05-01T12:30:15-0130", Date.UTC(2024, 4, 1, 14, 0, 15) * 1000],
  ];
  for (const [input, want] of table) assert.equal(parseTimeUs(input, { now }), want, input);
});

test("refuses malformed time expressions, naming the input and the accepted forms", () => {
  const table = ["", "last week", "2 fortnights ago", "15m", "+1h", "-1y", "-1.5h", "171456480000", "2024-13-01", "2024-02-30", "2024-05-01T25:00", "2024-05-01T12:00:00+5"];
  for (const input of table) {
    assert.throws(
      () => parseTimeUs(input, { now, label: "--from" }),
      (e: unknown) =>
        e instanceof LogharborError && e.code === "LH_ERR_TIME" && e.message.startsWith("--from:") && e.message.includes(`"${input}"`) && e.message.includes("-15m"),
      input,
    );
  }
});

test("formats microseconds as ISO-8601 with six fraction digits", () => {
  assert.equal(formatIsoUs(Date.UTC(2024, 4, 1, 12, 0, 0) * 1000 + 123456), "2024-05-01T12:00:00.123456Z");
  assert.equal(formatIsoUs(Date.UTC(2024, 4, 1) * 1000 + 7), "2024-05-01T00:00:00.000007Z");
  assert.equal(parseTimeUs(formatIsoUs(1714564800123456)), 1714564800123456);
});

test("durations: flags read 0, 90s, 15m, 2h, 30d, 2w (a bare number is seconds); shown in the largest exact unit", () => {
  assert.deepEqual(["0", "90", "90s", "15m", "2h", "30d", "2w", " 3h "].map(durationSeconds), [0, 90, 90, 900, 7200, 2_592_000, 1_209_600, 10_800]);
  for (const bad of ["", "-1h", "1.5h", "1y", "h", "10 m"]) assert.equal(durationSeconds(bad), undefined, bad);
  assert.deepEqual([0, 90, 900, 7200, 86_400 * 3, 1_209_600, 3601].map(formatDuration), ["0", "90s", "15m", "2h", "3d", "2w", "3601s"]);
});
