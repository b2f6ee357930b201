import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { encodeNotification, searchLink, signature } from "./payload.js";
import { backoffMs } from "./delivery.js";
import type { Notification } from "./model.js";

const n: Notification = {
  alert: { id: "1", name: "500s", query: "where(status>=500)", logs: ["web"], trigger: { kind: "threshold", count: 10, windowS: 300, below: false }, renotifyS: 0, webhook: "http://x/", secret: "", payload: "json", createdAt: 0 },
  state: "firing", log: "web", count: 12, windowS: 300, group: { host: "a" },
  events: [{ ts: "2026-12-04T10:00:00.000000Z", host: "a", unit: "nginx.service", message: "GET / 500" }], fromMs: 1000, toMs: 2000,
};

test("the JSON notification has the fields of DESIGN.md and a link to the search", () => {
  const e = encodeNotification(n, "http://logs:8080/");
  assert.equal(e.contentType, "application/json");
  const d = JSON.parse(e.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(d), ["alert", "state", "log", "query", "count", "window_s", "group", "events", "link"]);
  assert.deepEqual(d["alert"], { name: "500s", trigger: "threshold" });
  assert.equal(d["link"], "http://logs:8080/?q=where%28status%3E%3D500%29&from=1000&to=2000&log=web");
  assert.equal(searchLink("http://h", n), d["link"]!.toString().replace("http://logs:8080", "http://h"));
});

test("the Logentries form is payload= with alert, host, log, event {t, s, m} and context", () => {
  const e = encodeNotification({ ...n, alert: { ...n.alert, payload: "logentries" } }, "http://logs");
  assert.equal(e.contentType, "application/x-www-form-urlencoded");
  const d = JSON.parse(new URLSearchParams(e.body).get("payload")!) as Record<string, unknown>;
  assert.deepEqual(d, {
    alert: { name: "500s" }, host: { name: "a", hostname: "a" }, log: { name: "web" },
    event: { t: Date.parse("2026-12-04T10:00:00.000Z"), s: 0, m: "GET / 500" }, context: [{ t: Date.parse("2026-12-04T10:00:00.000Z"), s: 0, m: "GET / 500" }],
  });
});

test("the signature is the HMAC-SHA256 of the exact body", () => {
  assert.equal(signature("k", "body"), `sha256=${createHmac("sha256", "k").update("body").digest("hex")}`);
});

test("delivery backs off from 1 s doubling to at most a minute, with jitter", () => {
  assert.equal(backoffMs(1, () => 0.5), 1000);
  assert.equal(backoffMs(3, () => 0.5), 4000);
  assert.equal(backoffMs(20, () => 0.5), 60_000);
  assert.ok(backoffMs(2, () => 0) >= 1600 && backoffMs(2, () => 1) <= 2400);
});
