import { test } from "node:test";
import assert from "node:assert/strict";
import { gelfEvent } from "./to-event.js";

test("a Docker gelf-driver message: host, short_message, level, timestamp, container fields", () => {
  const r = gelfEvent({
    version: "1.1", host: "h1", short_message: "line", timestamp: 1700000000.5, level: 3,
    _container_name: "api", _container_id: "0123456789abcdef", _image_name: "shop/api", _command: "node", _tag: "ignored", _token: "secret",
  }, "api", "10.1.1.1", "gelf-udp");
  assert.ok(r.ok);
  assert.equal(r.event.message, "line");
  assert.equal(r.event.host, "h1");
  assert.equal(r.event.priority, 3);
  assert.equal(r.event.tsUs, 1_700_000_000_500_000);
  const f = JSON.parse(r.event.fieldsJson) as Record<string, unknown>;
  assert.equal(f["CONTAINER_NAME"], "api");
  assert.equal(f["CONTAINER_ID"], "0123456789ab");
  assert.equal(f["IMAGE_NAME"], "shop/api");
  assert.equal(f["command"], "node");
  assert.equal(f["tag"], "api", "the routed tag, not the raw one");
  assert.ok(!r.event.fieldsJson.includes("secret"), "_token is never stored");
});

test("full_message is the message and short_message a field; the peer is the host when none is given", () => {
  const r = gelfEvent({ short_message: "boom", full_message: "boom\n  at x" }, undefined, "10.1.1.1", "gelf-tcp");
  assert.ok(r.ok);
  assert.equal(r.event.message, "boom\n  at x");
  assert.equal(r.event.host, "10.1.1.1");
  assert.equal(r.event.priority, null, "no level: no priority (not GELF's default of 1, alert)");
  assert.equal((JSON.parse(r.event.fieldsJson) as Record<string, unknown>)["short_message"], "boom");
});

test("a message without short_message is malformed", () => {
  const r = gelfEvent({ host: "h", level: 1 }, undefined, null, "gelf-udp");
  assert.equal(r.ok, false);
});
