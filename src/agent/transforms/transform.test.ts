import { test } from "node:test";
import assert from "node:assert/strict";
import { FilterTransform } from "./filter/filter.js";
import { MultilineTransform } from "./multiline/multiline.js";
import { RedactTransform } from "./redact/redact.js";
import { entryOf, messages, serviceFields } from "./testing.js";
import { TransformChain } from "./transform.js";

test("chain: with no transforms the input array itself comes back", () => {
  const input = [entryOf(serviceFields("x"))];
  const c = new TransformChain([]);
  assert.equal(c.apply(input), input);
  assert.deepEqual(c.flush(0, true), []);
  assert.equal(c.checkpointCursor("c9"), "c9");
});

test("chain: held entries flushed by a transform go through the transforms after it", () => {
  let now = 0;
  const c = new TransformChain([new MultilineTransform({ timeout_ms: 100 }, "multiline", () => now), new RedactTransform()]);
  assert.deepEqual(messages(c.apply([entryOf(serviceFields("Error: token Bearer abcdefgh12345678"))])), []);
  assert.equal(c.held, 1);
  now = 100;
  assert.deepEqual(messages(c.flush(now)), ["Error: token Bearer [REDACTED:bearer_token]"]);
  assert.equal(c.held, 0);
});

test("chain: while entries are held the checkpoint may only move to before the oldest of them", () => {
  const a1 = entryOf(serviceFields("a1", { _PID: "1" }));
  const a2 = entryOf(serviceFields("a2", { _PID: "1" }));
  const b = entryOf(serviceFields("b", { _PID: "2" }));
  const dropped = entryOf(serviceFields("c", { _PID: "3", PRIORITY: "7" }));
  const c = new TransformChain([new FilterTransform({ priority: "info" }), new MultilineTransform()]);
  assert.deepEqual(messages(c.apply([a1])), []);
  assert.equal(c.checkpointCursor(a1.cursor), null, "nothing read before the held entry: do not move");
  assert.deepEqual(messages(c.apply([a2, b, dropped])), ["a1"], "a2 and b are held in their open streams");
  assert.equal(c.checkpointCursor(dropped.cursor), a1.cursor);
  assert.deepEqual(messages(c.flush(0, true)), ["a2", "b"]);
  assert.equal(c.checkpointCursor(dropped.cursor), dropped.cursor);
});
