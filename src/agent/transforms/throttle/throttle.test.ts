import { test } from "node:test";
import assert from "node:assert/strict";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { containerFields, entryOf, messages, serviceFields } from "../testing.js";
import { ThrottleTransform } from "./throttle.js";

function burst(n: number, over: Record<string, string>): ExportEntry[] {
  return Array.from({ length: n }, (_, i) => entryOf(serviceFields(`line ${i}`, over)));
}

test("throttle: a key gets its burst at once, then rate_per_s; drops are counted and summarised once", () => {
  let now = 0;
  const t = new ThrottleTransform({ key: "unit", rate_per_s: 10, burst: 5 }, "throttle", () => now);
  const out: ExportEntry[] = [];
  for (const e of burst(20, { _SYSTEMD_UNIT: "chatty.service" })) t.process(e, out);
  assert.equal(out.length, 5);
  assert.equal(t.dropped, 15);
  now = 500; // 5 tokens back
  for (const e of burst(6, { _SYSTEMD_UNIT: "chatty.service" })) t.process(e, out);
  assert.deepEqual(messages(out).slice(5, 7), ["15 entries from chatty.service dropped by rate limit", "line 0"]);
  assert.equal(out.length, 11, "5 + summary + 5 kept, 1 dropped");
  assert.equal(out[5]!.get("LOGHARBOR_DROPPED"), "15");
  assert.equal(out[5]!.get("_SYSTEMD_UNIT"), "chatty.service");
  assert.equal(out[5]!.get("_HOSTNAME"), "node-7.cluster.example");
  now = 2000;
  t.flush(now, out, false);
  assert.equal(messages(out).at(-1), "1 entries from chatty.service dropped by rate limit");
  assert.deepEqual(t.counters(), { dropped: 16, summaries: 2, keys: 1 });
});

test("throttle: keys are limited independently", () => {
  const t = new ThrottleTransform({ key: "container", rate_per_s: 2 }, "throttle", () => 0);
  const out: ExportEntry[] = [];
  for (const name of ["web-1", "web-2", "web-1", "web-2", "web-1", "web-2"]) t.process(entryOf(containerFields(name, { CONTAINER_NAME: name })), out);
  assert.deepEqual(messages(out), ["web-1", "web-2", "web-1", "web-2"]);
  t.flush(0, out, true);
  assert.deepEqual(messages(out).slice(4).sort(), ["1 entries from web-1 dropped by rate limit", "1 entries from web-2 dropped by rate limit"]);
});

test("throttle: entries without the key field share one bucket named after the missing key", () => {
  const t = new ThrottleTransform({ key: "container", rate_per_s: 1 }, "throttle", () => 0);
  const out: ExportEntry[] = [];
  for (const e of burst(3, {})) t.process(e, out);
  t.flush(0, out, true);
  assert.deepEqual(messages(out), ["line 0", "2 entries from (no container) dropped by rate limit"]);
});
