// The official Elasticsearch client (@elastic/elasticsearch) ships to a real `logharbor serve`:
// its product and version checks pass on GET /, its bulk helper sends a few thousand documents
// with `create` and `index` actions, and every one is searchable in the log of the token with its
// fields (dot paths), message and time taken from the fields VictoriaLogs' _msg_field /
// _time_field name; a wrong or missing token fails the helper with 401 / 403 and stores nothing;
// bad NDJSON is refused per line or per item, as Elasticsearch does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, errors } from "@elastic/elasticsearch";
import { countEvents, queryEvents, startAgentServe } from "../harness/agent-serve.js";
import { LARGE_BODY_BYTES, PRIORITY_OF_LEVEL, testRecords, type TestRecord } from "../harness/agent-records.js";

const N = 3000;
const T0 = Date.UTC(2026, 0, 3);

function docOf(r: TestRecord): Record<string, unknown> {
  return {
    "@timestamp": new Date(T0 + r.i).toISOString(), message: r.body, log: { level: r.level }, host: { name: "node-5" },
    service: { name: "payments" }, container: { name: "pay" }, http: { response: { status_code: r.attributes["http.status_code"] } },
    user: { name: r.attributes["user.name"] }, seq: r.i, tags: ["blue", "eu"], ok: r.i % 2 === 0,
  };
}

test("the official client's product check and bulk helper ship every document, searchable with its fields, into the log of the token", async () => {
  const s = await startAgentServe(["es", "es-index", "other"]);
  try {
    const client = new Client({ node: s.url, auth: { username: "filebeat", password: s.logs["es"]!.token } });
    const info = await client.info();
    assert.equal(info.version.number.split(".")[0], "8");
    assert.equal(info.tagline, "You Know, for Search");
    const dropped: unknown[] = [];
    const stats = await client.helpers.bulk({
      datasource: testRecords(N, 0).map(docOf), flushBytes: 400_000, concurrency: 3,
      onDocument: (d) => (Number(d["seq"]) % 2 === 0 ? { create: { _index: "app-logs" } } : { index: { _index: "app-logs" } }),
      onDrop: (d) => dropped.push(d),
    });
    assert.deepEqual(dropped, []);
    assert.equal(stats.successful, N);
    assert.equal(stats.failed, 0);
    // The same through /{index}/_bulk, the message field named by _msg_field.
    const other = new Client({ node: s.url, auth: { bearer: s.logs["es-index"]!.token } });
    const r2 = await other.bulk({ index: "idx", operations: [{ create: {} }, { text: "named message", message: "not this one", level: "warn" }] }, { querystring: { _msg_field: "text" } });
    assert.equal(r2.errors, false);
    assert.equal(r2.items[0]!.create!.status, 201);
    const events = await queryEvents(s.url, "es");
    assert.equal(events.length, N, "every document stored once");
    const bySeq = new Map(events.map((e) => [Number(e.parsed?.["seq"]), e]));
    for (const r of testRecords(N, 0)) {
      const e = bySeq.get(r.i);
      assert.ok(e, `document ${r.i}`);
      assert.equal(e.message, r.body);
      assert.equal(e.ts_us, (T0 + r.i) * 1000, "@timestamp is the event time");
      assert.equal(e.priority, PRIORITY_OF_LEVEL[r.level]);
      assert.equal(e.host, "node-5");
      assert.equal(e.unit, "payments");
      assert.equal(e.fields["CONTAINER_NAME"], "pay");
      assert.equal(e.parsed?.["http.response.status_code"], r.attributes["http.status_code"]);
      assert.equal(e.parsed?.["user.name"], r.attributes["user.name"]);
      assert.equal(e.parsed?.["tags.1"], "eu");
      assert.equal(e.parsed?.["_index"], "app-logs");
      assert.equal(e.parsed?.["message"], undefined, "the message is not repeated as a field");
      assert.equal(e.parsed?.["@timestamp"], undefined);
    }
    assert.ok(events.some((e) => e.message.length > LARGE_BODY_BYTES), "large documents arrive whole");
    assert.equal(await countEvents(s.url, "es", "http.response.status_code>=400 AND priority<=err AND _index=app-logs"), testRecords(N, 0).filter((r) => r.attributes["http.status_code"] >= 400 && r.level === "error").length);
    assert.equal(await countEvents(s.url, "es", '"日本語のログ" AND ok=true'), testRecords(N, 0).filter((r) => r.i % 10 === 7 && r.i % 2 === 0).length);
    const [named] = await queryEvents(s.url, "es-index");
    assert.equal(named!.message, "named message");
    assert.equal(named!.parsed?.["message"], "not this one");
    assert.equal(named!.parsed?.["_index"], "idx");
    assert.equal(named!.priority, 4);
    assert.equal(await countEvents(s.url, "other"), 0, "nothing in another log");
    // A browser still gets the web page at /.
    const page = await fetch(`${s.url}/`, { headers: { accept: "text/html,application/xhtml+xml" } });
    assert.match(String(page.headers.get("content-type")), /text\/html/);
  } finally {
    await s.stop();
  }
});

test("the bulk helper fails with 401 without a token and 403 with a wrong one, and nothing is stored", async () => {
  const s = await startAgentServe(["a"]);
  try {
    for (const [auth, status] of [[undefined, 401], [{ username: "x", password: "00000000-0000-4000-8000-000000000000" }, 403], [{ apiKey: Buffer.from("id:wrong").toString("base64") }, 403]] as const) {
      const client = new Client({ node: s.url, ...(auth ? { auth } : {}), maxRetries: 0 });
      await assert.rejects(
        client.helpers.bulk({ datasource: testRecords(5, 0).map(docOf), onDocument: () => ({ create: { _index: "x" } }) }),
        (e: unknown) => e instanceof errors.ResponseError && e.meta.statusCode === status && /security_exception/.test(JSON.stringify(e.body)),
        `refused with ${status}`,
      );
    }
    assert.equal(await countEvents(s.url, ""), 0, "nothing stored anywhere");
  } finally {
    await s.stop();
  }
});

test("bad bulk input is refused clearly: a malformed action line or an action without its document refuses the request, a bad document fails only its item", async () => {
  const s = await startAgentServe(["a"]);
  try {
    const post = (body: string) => fetch(`${s.url}/_bulk`, { method: "POST", headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${s.logs["a"]!.token}` }, body });
    const whole: Array<[string, string, RegExp]> = [
      ["an action without its document", '{"create":{}}\n{"message":"a"}\n{"create":{}}\n', /bulk line 3: the create action has no document line after it/],
      ["an action line that is not JSON", '{"create":{}}\n{"message":"a"}\n{"create":\n{"message":"b"}\n', /bulk line 3: the action line is not JSON/],
      ["an unknown action", '{"upsert":{}}\n{"message":"a"}\n', /bulk line 1: expected an action/],
    ];
    for (const [what, body, said] of whole) {
      const res = await post(body);
      assert.equal(res.status, 400, what);
      assert.equal(res.headers.get("x-elastic-product"), "Elasticsearch");
      const e = (await res.json()) as { error: { type: string; reason: string; code: string }; status: number };
      assert.equal(e.status, 400);
      assert.equal(e.error.code, "LH_ERR_BATCH");
      assert.match(e.error.reason, said, what);
    }
    assert.equal(await countEvents(s.url, "a"), 0, "nothing of a refused request is stored");
    const res = await post('{"index":{"_index":"x"}}\n{"message":"good one"}\n{"create":{}}\n{not json\n{"create":{}}\n[1,2]\n{"update":{"_id":"1"}}\n{"doc":{}}\n{"delete":{"_id":"2"}}\n');
    assert.equal(res.status, 200);
    const r = (await res.json()) as { errors: boolean; items: Array<Record<string, { status: number; error?: { type: string; reason: string } }>> };
    assert.equal(r.errors, true);
    assert.deepEqual(r.items.map((i) => Object.values(i)[0]!.status), [201, 400, 400, 400, 400]);
    assert.match(r.items[1]!["create"]!.error!.reason, /line 4: the document is not JSON/);
    assert.match(r.items[3]!["update"]!.error!.reason, /update is not supported/);
    const events = await queryEvents(s.url, "a");
    assert.deepEqual(events.map((e) => e.message), ["good one"]);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  } finally {
    await s.stop();
  }
});
