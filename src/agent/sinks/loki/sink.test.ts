import { test } from "node:test";
import assert from "node:assert/strict";
import { startLokiReceiver } from "../../../../test/harness/loki-receiver.js";
import { silentLogger } from "../../logger.js";
import { batchBody, serviceEntry } from "../testing.js";
import { DEFAULT_LOKI_LABELS } from "./labels.js";
import { ignoredEntries, LokiSink } from "./sink.js";

const FAST = { initialMs: 1, maxMs: 5 };

function sink(url: string, over: Partial<ConstructorParameters<typeof LokiSink>[0]> = {}): LokiSink {
  return new LokiSink({ url: new URL(url), display: "loki+" + url, labels: DEFAULT_LOKI_LABELS, maxLabelValues: 100, line: "message", log: silentLogger(), backoff: FAST, ...over });
}

const at = (us: number, msg: string, over: Record<string, string> = {}) => serviceEntry(msg, { __REALTIME_TIMESTAMP: String(us), ...over });

test("loki: entries are pushed as streams labelled host/unit/level, values in time order with nanosecond timestamps", async () => {
  const recv = await startLokiReceiver();
  const s = sink(recv.url, { tenant: "team-a" });
  try {
    const ack = await s.send(batchBody([
      at(1700000000000300, "third", { PRIORITY: "3" }),
      at(1700000000000100, "first", { PRIORITY: "3" }),
      at(1700000000000200, "other unit", { _SYSTEMD_UNIT: "sshd.service", PRIORITY: "6" }),
      at(1700000000000200, "second", { PRIORITY: "3" }),
    ]), 4);
    assert.deepEqual(ack, { accepted: 4, duplicates: 0 });
    const nginx = recv.streams.get('{host="node-7", job="logharbor", level="err", unit="nginx.service"}');
    assert.deepEqual(nginx?.values, [["1700000000000100000", "first"], ["1700000000000200000", "second"], ["1700000000000300000", "third"]]);
    const sshd = recv.streams.get('{host="node-7", job="logharbor", level="info", unit="sshd.service"}');
    assert.deepEqual(sshd?.values, [["1700000000000200000", "other unit"]]);
    assert.equal(recv.requests[0]!.headers["x-scope-orgid"], "team-a");
    assert.equal(recv.requests[0]!.headers["content-encoding"], "gzip");
  } finally {
    s.close();
    await recv.close();
  }
});

test("loki: a later batch with older entries is sent at the stream's newest time instead of being refused", async () => {
  const recv = await startLokiReceiver();
  const s = sink(recv.url);
  try {
    await s.send(batchBody([at(1700000000000500, "new")]), 1);
    const ack = await s.send(batchBody([at(1700000000000100, "late")]), 1);
    assert.deepEqual(ack, { accepted: 1, duplicates: 0 });
    assert.equal(s.builder.retimed, 1);
    assert.deepEqual([...recv.streams.values()][0]!.values.map((v) => v[1]), ["new", "late"]);
  } finally {
    s.close();
    await recv.close();
  }
});

test("loki: a 400 out-of-order answer counts the ignored entries, keeps the rest, and is not retried", async () => {
  const recv = await startLokiReceiver();
  const first = sink(recv.url);
  const second = sink(recv.url); // a restarted agent: it does not know what Loki holds
  try {
    await first.send(batchBody([at(1700000000000500, "stored")]), 1);
    const ack = await second.send(batchBody([at(1700000000000100, "too old"), at(1700000000000600, "fine")]), 2);
    assert.deepEqual(ack, { accepted: 1, duplicates: 0 });
    assert.equal(second.ignored, 1);
    assert.equal(recv.requests.length, 2, "not retried");
    assert.deepEqual([...recv.streams.values()][0]!.values.map((v) => v[1]), ["stored", "fine"]);
  } finally {
    first.close();
    second.close();
    await recv.close();
  }
});

test("loki: 429 rate limiting and 5xx are retried until the push is accepted", async () => {
  const recv = await startLokiReceiver();
  let retries = 0;
  const s = sink(recv.url, { onRetry: () => retries++ });
  try {
    recv.failNext(429, 2);
    assert.deepEqual(await s.send(batchBody([at(1700000000000100, "x")]), 1), { accepted: 1, duplicates: 0 });
    assert.deepEqual(recv.requests.map((r) => r.status), [429, 429, 204]);
    assert.equal(retries, 2);
  } finally {
    s.close();
    await recv.close();
  }
});

test("loki: a 404 (wrong URL) refuses the destination, not only the batch", async () => {
  const recv = await startLokiReceiver();
  const s = sink(recv.url + "/wrong-prefix");
  try {
    await assert.rejects(s.send(batchBody([at(1, "x")]), 1), (e: { scope?: string; message: string }) => e.scope === "destination" && /expected HTTP 204, got 404/.test(e.message));
  } finally {
    s.close();
    await recv.close();
  }
});

test("loki: label values are bounded per label; new values past the bound become \"other\"", async () => {
  const recv = await startLokiReceiver();
  const s = sink(recv.url, { labels: { unit: "_SYSTEMD_UNIT" }, maxLabelValues: 2 });
  try {
    await s.send(batchBody(["a", "b", "c", "d", "a"].map((u, i) => at(1700000000000000 + i, u, { _SYSTEMD_UNIT: `${u}.service` }))), 5);
    assert.deepEqual([...recv.streams.values()].map((x) => [x.labels["unit"], x.values.map((v) => v[1])]), [
      ["a.service", ["a", "a"]], ["b.service", ["b"]], ["other", ["c", "d"]],
    ]);
    assert.equal(s.labels.overflowed, 2);
  } finally {
    s.close();
    await recv.close();
  }
});

test("loki: the ignored count is read from Loki's answer; other 400s are not out-of-order answers", () => {
  assert.equal(ignoredEntries("entry with timestamp 2023-11-14 22:13:20 +0000 UTC ignored, reason: 'entry out of order' for stream: {job=\"x\"},\ntotal ignored: 3 out of 10", 10), 3);
  assert.equal(ignoredEntries("entry for stream '{job=\"x\"}' has timestamp too old: 2023-11-14T22:13:20Z, oldest acceptable timestamp is: 2023-11-20T00:00:00Z", 4), 4);
  assert.equal(ignoredEntries("error parsing labels {foo==\"bar\"}: parse error", 4), undefined);
});
