import { test } from "node:test";
import assert from "node:assert/strict";
import type { StatisticsJson } from "../../core/api-json.js";
import { formatStatistics, formatStatisticsRaw } from "./statistics.js";

const base: StatisticsJson = { function: "count", field: null, percentile: null, groupby: [], count: 10, value: 10, groups: [], groups_total: 0 };

test("prints groups as a table with bars scaled to the largest value", () => {
  const s: StatisticsJson = { ...base, groupby: ["host"], groups: [{ key: ["app-1"], count: 5, value: 5 }, { key: ["web-1"], count: 3, value: 2.5 }], groups_total: 3 };
  const text = formatStatistics(s);
  assert.match(text, /^host\s+count\s*$/m);
  assert.match(text, /^app-1\s+5\s+█{40}$/m);
  assert.match(text, /^web-1\s+2\.5\s+█{20}$/m);
  assert.match(text, /\(2 of 3 groups\)/);
  assert.match(text, /count: 10 over 10 events/);
  assert.equal(formatStatisticsRaw(s), "app-1\t5\nweb-1\t2.5\n");
});

test("prints a timeslice as a bar chart over time", () => {
  const s: StatisticsJson = {
    ...base, function: "percentile", field: "ms", percentile: 95, value: 46.5,
    timeslice: { width_ms: 60000, buckets: [{ from: "2024-01-01T00:00:00.000000Z", from_ms: 1704067200000, count: 2, value: 10 }, { from: "2024-01-01T00:01:00.000000Z", from_ms: 1704067260000, count: 0, value: null }] },
  };
  const text = formatStatistics(s);
  assert.match(text, /^time\s+percentile\(95\):ms/m);
  assert.match(text, /^2024-01-01 00:00Z\s+10\s+█{40}$/m);
  assert.match(text, /^2024-01-01 00:01Z\s+-\s*$/m);
  assert.equal(formatStatisticsRaw(s), "2024-01-01T00:00:00.000000Z\t10\n2024-01-01T00:01:00.000000Z\t-\n");
});
