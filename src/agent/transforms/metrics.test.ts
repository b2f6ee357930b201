import { test } from "node:test";
import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { createChain } from "./create.js";
import { registerTransformMetrics } from "./metrics.js";
import { entryOf, serviceFields } from "./testing.js";

test("metrics: the transforms' counts are served as logharbor_ship_transform_events_total per transform and event", async () => {
  const registry = new Registry();
  const chain = createChain([{ verb: "filter", spec: { priority: "info" } }, { verb: "redact", spec: {} }]);
  registerTransformMetrics(registry, chain);
  chain.apply([entryOf(serviceFields("Bearer abcdefgh12345678")), entryOf(serviceFields("debug", { PRIORITY: "7" }))]);
  let text = await registry.metrics();
  assert.match(text, /logharbor_ship_transform_events_total\{transform="filter#0",event="kept"\} 1/);
  assert.match(text, /logharbor_ship_transform_events_total\{transform="filter#0",event="dropped"\} 1/);
  assert.match(text, /logharbor_ship_transform_events_total\{transform="redact#1",event="bearer_token"\} 1/);
  chain.apply([entryOf(serviceFields("Bearer zyxwvuts87654321"))]);
  text = await registry.metrics();
  assert.match(text, /transform="redact#1",event="bearer_token"\} 2/, "counts grow, never reset");
});
