import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEsReceiver } from "../../../../test/harness/es-receiver.js";
import { silentLogger } from "../../logger.js";
import { batchBody, serviceEntry } from "../testing.js";
import { DEFAULT_INDEX_TEMPLATE, indexName, indexTemplateProblem } from "./index-name.js";
import { ElasticsearchSink } from "./sink.js";

const FAST = { initialMs: 1, maxMs: 5 };
const NOV27 = 1795737600000000; // 2026-11-27T00:00:00Z in µs
const e = (seq: number, msg: string, over: Record<string, string> = {}) =>
  serviceEntry(msg, { __SEQNUM_ID: "a1b2c3d4e5f60718293a4b5c6d7e8f90", __SEQNUM: String(seq), __REALTIME_TIMESTAMP: String(NOV27 + seq * 1_000_000), ...over });

function sink(url: string, over: Partial<ConstructorParameters<typeof ElasticsearchSink>[0]> = {}): ElasticsearchSink {
  return new ElasticsearchSink({ url: new URL(url), display: "elasticsearch+" + url, indexTemplate: DEFAULT_INDEX_TEMPLATE, log: silentLogger(), backoff: FAST, ...over });
}

test("elasticsearch: a batch becomes _bulk create actions in date-based indices, one document per entry", async () => {
  const recv = await startEsReceiver();
  const s = sink(recv.url);
  try {
    const ack = await s.send(batchBody([e(1, "GET / 200"), e(2, "next day", { __REALTIME_TIMESTAMP: String(NOV27 + 86_400_000_000 + 5) })]), 2);
    assert.deepEqual(ack, { accepted: 2, duplicates: 0 });
    assert.deepEqual([...recv.indices.keys()], ["logs-2026.11.27", "logs-2026.11.28"]);
    const doc = recv.indices.get("logs-2026.11.27")!.get("a1b2c3d4e5f60718293a4b5c6d7e8f90.1")!;
    assert.equal(doc["@timestamp"], "2026-11-27T00:00:01.000000Z");
    assert.equal(doc["message"], "GET / 200");
    assert.deepEqual(doc["host"], { name: "node-7" });
    assert.equal((doc["journal"] as Record<string, string>)["_SYSTEMD_UNIT"], "nginx.service");
    assert.equal(recv.indices.get("logs-2026.11.28")!.get("a1b2c3d4e5f60718293a4b5c6d7e8f90.2")!["@timestamp"], "2026-11-28T00:00:00.000005Z");
  } finally {
    s.close();
    await recv.close();
  }
});

test("elasticsearch: an entry sent again is answered 409 and counted as a duplicate, not stored twice", async () => {
  const recv = await startEsReceiver();
  const s = sink(recv.url);
  try {
    await s.send(batchBody([e(1, "a"), e(2, "b")]), 2);
    assert.deepEqual(await s.send(batchBody([e(2, "b"), e(3, "c")]), 2), { accepted: 1, duplicates: 1 });
    assert.equal(recv.indices.get("logs-2026.11.27")!.size, 3);
  } finally {
    s.close();
    await recv.close();
  }
});

test("elasticsearch: items answered 429 are sent again alone until stored; the others are not resent", async () => {
  const recv = await startEsReceiver();
  let retries = 0;
  const s = sink(recv.url, { onRetry: () => retries++ });
  try {
    recv.rejectItems(2);
    assert.deepEqual(await s.send(batchBody([e(1, "a"), e(2, "b"), e(3, "c")]), 3), { accepted: 3, duplicates: 0 });
    assert.deepEqual(recv.requests.map((r) => r.items), [3, 2]);
    assert.equal(s.itemRetries, 2);
    assert.equal(retries, 1);
    assert.equal(recv.indices.get("logs-2026.11.27")!.size, 3);
  } finally {
    s.close();
    await recv.close();
  }
});

test("elasticsearch: items refused for good are dead-lettered with their error; the rest is acknowledged", async () => {
  const recv = await startEsReceiver();
  const dl = join(mkdtempSync(join(tmpdir(), "lh-es-")), "dead-letter", "elasticsearch.ndjson");
  const s = sink(recv.url, { deadLetterFile: dl });
  try {
    assert.deepEqual(await s.send(batchBody([e(1, "a"), e(2, "MAPPING ERROR"), e(3, "c")]), 3), { accepted: 2, duplicates: 0 });
    assert.equal(s.rejected, 1);
    const [line, ...rest] = readFileSync(dl, "utf8").trim().split("\n");
    assert.equal(rest.length, 0);
    const d = JSON.parse(line!) as { status: number; error: string; action: { create: { _id: string } }; document: { message: string } };
    assert.equal(d.status, 400);
    assert.match(d.error, /^mapper_parsing_exception: failed to parse field/);
    assert.equal(d.action.create._id, "a1b2c3d4e5f60718293a4b5c6d7e8f90.2");
    assert.equal(d.document.message, "MAPPING ERROR");
  } finally {
    s.close();
    await recv.close();
  }
});

test("elasticsearch: a whole-request 429 is retried; a 401 refuses the destination", async () => {
  const recv = await startEsReceiver();
  const s = sink(recv.url, { authorization: "ApiKey abc" });
  try {
    recv.failNext(429, 1);
    assert.deepEqual(await s.send(batchBody([e(1, "a")]), 1), { accepted: 1, duplicates: 0 });
    assert.equal(recv.requests[1]!.headers["authorization"], "ApiKey abc");
    recv.failNext(401, 1);
    await assert.rejects(s.send(batchBody([e(2, "b")]), 1), (err: { scope?: string; message: string }) => err.scope === "destination" && /got 401/.test(err.message));
  } finally {
    s.close();
    await recv.close();
  }
});

test("elasticsearch: index templates take %Y %m %d %H in UTC and must be valid index names", () => {
  assert.equal(indexName("logs-%Y.%m.%d", NOV27 + 3_600_000_000 * 23), "logs-2026.11.27");
  assert.equal(indexName("app-%Y-%m-%d-%H", NOV27 + 3_600_000_000 * 23), "app-2026-11-27-23");
  assert.equal(indexName("static", NOV27), "static");
  assert.equal(indexTemplateProblem("logs-%Y.%m.%d"), undefined);
  assert.match(indexTemplateProblem("Logs")!, /expected an index name .* got "Logs"/);
  assert.match(indexTemplateProblem("_x")!, /got "_x"/);
  assert.match(indexTemplateProblem("logs-%s")!, /got "logs-%s"/);
});
