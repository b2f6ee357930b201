// The Logentries HTTP endpoints: POST /v1/logs/TOKEN (JSON event) and POST /noformat/logs/TOKEN
// (any body, JSON parsed), answering 204 after the event is stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventsOf, startIngestServer } from "../harness/ingest.js";

test("POST /v1/logs/TOKEN stores a JSON event with its keys as fields and answers 204", async () => {
  const s = await startIngestServer({});
  try {
    const a = s.store.createLog("a");
    const res = await fetch(`${s.url}/v1/logs/${a.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ event: "clicked", level: "info", user: { id: 7 } }) });
    assert.equal(res.status, 204);
    const [ev] = eventsOf(s, a.id);
    assert.equal(ev!.fields["event"], "clicked");
    assert.deepEqual(ev!.fields["user"], { id: 7 });
    assert.equal(ev!.host, "127.0.0.1");
    const text = await fetch(`${s.url}/v1/logs/${a.token}`, { method: "POST", headers: { "content-type": "text/plain" }, body: "not json" });
    assert.equal(text.status, 400);
    assert.equal(((await text.json()) as { error: { code: string } }).error.code, "LH_ERR_BATCH");
  } finally {
    await s.stop();
  }
});

test("POST /noformat/logs/TOKEN takes any body, parses JSON when it is JSON, and refuses an unknown token with 403", async () => {
  const s = await startIngestServer({});
  try {
    const a = s.store.createLog("a");
    const plain = await fetch(`${s.url}/noformat/logs/${a.token}`, { method: "POST", body: "deploy finished\nin 3s" });
    assert.equal(plain.status, 204);
    const json = await fetch(`${s.url}/noformat/logs/${a.token}`, { method: "POST", headers: { "content-type": "application/x-whatever" }, body: '{"status":502,"path":"/x"}' });
    assert.equal(json.status, 204);
    const bad = await fetch(`${s.url}/noformat/logs/00000000-0000-4000-8000-000000000000`, { method: "POST", body: "x" });
    assert.equal(bad.status, 403);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, "LH_ERR_TOKEN_UNKNOWN");
    const evs = eventsOf(s, a.id);
    assert.deepEqual(evs.map((e) => e.message), ["deploy finished\nin 3s", '{"status":502,"path":"/x"}']);
    assert.equal(evs[1]!.fields["status"], 502);
    assert.equal(s.store.count(), 2);
  } finally {
    await s.stop();
  }
});
