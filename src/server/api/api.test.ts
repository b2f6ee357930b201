import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { call, jsonBody, startTestServer, type TestServer } from "../testing.js";
import type { NewEvent } from "../storage/store.js";

const T0 = 1_700_000_000_000_000;

function ev(i: number, message: string, host = "web-1"): NewEvent {
  return { ident: `t:${i}`, tsUs: T0 + i * 1_000_000, host, unit: "app.service", priority: 6, message, fieldsJson: JSON.stringify({ MESSAGE: message, N: String(i) }) };
}

async function withServer(fn: (s: TestServer) => Promise<void>, opts = {}): Promise<void> {
  const s = await startTestServer(opts);
  try {
    await fn(s);
  } finally {
    await s.stop();
  }
}

test("creates and lists logs with their tokens and event counts", async () => {
  await withServer(async (s) => {
    const created = await call(`${s.url}/api/v1/logs`, jsonBody({ name: "web.prod-1" }));
    assert.equal(created.status, 201);
    const log = created.json["log"] as { id: string; name: string; token: string; created_at: string };
    assert.equal(log.name, "web.prod-1");
    assert.match(log.token, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(log.created_at)));
    s.store.insert(log.id, [ev(1, "a"), ev(2, "b")]);
    const list = await call(`${s.url}/api/v1/logs`);
    assert.deepEqual(list.json, { logs: [{ ...log, events: 2 }] });

    const again = await call(`${s.url}/api/v1/logs`, jsonBody({ name: "web.prod-1" }));
    assert.equal(again.status, 409);
    assert.equal(again.json.error?.code, "LH_ERR_LOG_EXISTS");
    for (const name of ["", "has space", "x".repeat(65), 7]) {
      const bad = await call(`${s.url}/api/v1/logs`, jsonBody({ name }));
      assert.equal(bad.status, 400, String(name));
      assert.match(bad.json.error!.message, /^name: expected 1 to 64 characters/);
    }
  });
});

test("searches events newest first, pages with next_page, and filters by log, time and query", async () => {
  await withServer(async (s) => {
    const a = s.store.createLog("a");
    const b = s.store.createLog("b");
    s.store.insert(a.id, [ev(1, "disk full on sda"), ev(2, "request ok"), ev(3, "disk quota warning")]);
    s.store.insert(b.id, [ev(4, "disk fine", "db-1")]);

    const all = await call(`${s.url}/api/v1/events`);
    const msgs = (r: typeof all) => (r.json["events"] as Array<{ message: string }>).map((e) => e.message);
    assert.deepEqual(msgs(all), ["disk fine", "disk quota warning", "request ok", "disk full on sda"]);
    const first = (all.json["events"] as Array<Record<string, unknown>>)[0]!;
    assert.deepEqual(Object.keys(first).sort(), ["fields", "host", "id", "log", "message", "priority", "ts", "ts_us", "unit"]);
    assert.equal(first["ts"], "2023-11-14T22:13:24.000000Z");
    assert.equal(first["log"], "b");

    const disk = await call(`${s.url}/api/v1/events?q=disk&log=a&order=asc`);
    assert.deepEqual(msgs(disk), ["disk full on sda", "disk quota warning"]);

    const ranged = await call(`${s.url}/api/v1/events?from=${(T0 + 2_000_000) / 1000}&to=2023-11-14T22:13:24Z`);
    assert.deepEqual(msgs(ranged), ["disk quota warning", "request ok"]);

    const p1 = await call(`${s.url}/api/v1/events?limit=3`);
    assert.equal(msgs(p1).length, 3);
    const p2 = await call(`${s.url}/api/v1/events?limit=3&after=${p1.json["next_page"] as string}`);
    assert.deepEqual(msgs(p2), ["disk full on sda"]);
    assert.equal(p2.json["next_page"], undefined);
  });
});

test("answers bad search parameters with 400 or 404 naming the parameter", async () => {
  await withServer(async (s) => {
    const cases: Array<[string, number, string, RegExp]> = [
      ["from=someday", 400, "LH_ERR_TIME", /^from: /],
      ["limit=0", 400, "LH_ERR_QUERY_PARAM", /^limit: /],
      ["order=up", 400, "LH_ERR_QUERY_PARAM", /^order: /],
      ["log=nope", 404, "LH_ERR_LOG_NOT_FOUND", /"nope"/],
      ["after=zzz", 400, "LH_ERR_QUERY_PARAM", /^after: /],
    ];
    for (const [qs, status, code, msg] of cases) {
      const r = await call(`${s.url}/api/v1/events?${qs}`);
      assert.equal(r.status, status, qs);
      assert.equal(r.json.error?.code, code, qs);
      assert.match(r.json.error!.message, msg, qs);
    }
    const syntax = await call(`${s.url}/api/v1/events?q=${encodeURIComponent("where(")}`);
    assert.equal(syntax.status, 400);
    assert.equal(syntax.json.error?.code, "LH_ERR_QUERY_SYNTAX");
    assert.equal(typeof syntax.json.error?.position, "number");
  });
});

test("leaves the API open on a loopback listener and writes the admin key file 0600 without logging the key", async () => {
  await withServer(async (s) => {
    const file = join(s.dataDir, "admin-api-key");
    assert.equal(s.adminKeyFile, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const secret = readFileSync(file, "utf8").trim();
    assert.ok(s.store.apiKeyBySecret(secret)?.readOnly === false);
    assert.ok(s.logs().includes(file));
    assert.equal(s.logs().includes(secret), false);
    assert.equal((await call(`${s.url}/api/v1/logs`)).status, 200);
    assert.equal((await call(`${s.url}/api/v1/logs`, jsonBody({ name: "x" }))).status, 201);
  });
});

test("needs an API key on a non-loopback listener; read-only keys may only read", async () => {
  await withServer(
    async (s) => {
      const admin = readFileSync(join(s.dataDir, "admin-api-key"), "utf8").trim();
      const none = await call(`${s.url}/api/v1/logs`);
      assert.equal(none.status, 401);
      assert.equal(none.json.error?.code, "LH_ERR_API_KEY");
      assert.equal((await call(`${s.url}/api/v1/events`, { headers: { "x-api-key": "lhk_wrong" } })).status, 401);

      const made = await call(`${s.url}/api/v1/keys`, jsonBody({ read_only: true }, { "x-api-key": admin }));
      assert.equal(made.status, 201);
      const key = made.json["key"] as { id: string; secret: string; read_only: boolean };
      assert.equal(key.read_only, true);
      assert.equal(s.logs().includes(key.secret), false, "the new secret is not logged");

      assert.equal((await call(`${s.url}/api/v1/logs`, { headers: { "x-api-key": key.secret } })).status, 200);
      const write = await call(`${s.url}/api/v1/logs`, jsonBody({ name: "x" }, { "x-api-key": key.secret }));
      assert.equal(write.status, 403);
      assert.equal(write.json.error?.code, "LH_ERR_FORBIDDEN");
      const created = await call(`${s.url}/api/v1/logs`, jsonBody({ name: "x" }, { "x-api-key": admin }));
      assert.equal(created.status, 201);

      // Ingest takes the log's token, not an API key; health and metrics are open.
      const token = (created.json["log"] as { token: string }).token;
      const ingest = await call(`${s.url}/api/v1/ingest/journal`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
        body: "MESSAGE=hi\n\n",
      });
      assert.equal(ingest.status, 200);
      assert.equal((await call(`${s.url}/healthz`)).status, 200);
      assert.equal((await call(`${s.url}/readyz`)).status, 200);
    },
    { requireApiKey: true },
  );
});

test("/readyz says not ready, and why, once the store's writer thread has stopped; ingest answers 503 meanwhile", async () => {
  await withServer(async (s) => {
    const log = s.store.createLog("r");
    assert.equal((await call(`${s.url}/readyz`)).status, 200);
    // As a crash would: the thread ends under the server.
    await (s.store as unknown as { writerThread: { thread: { terminate(): Promise<number> } } }).writerThread.thread.terminate();
    const ready = await call(`${s.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(ready.json.error?.message ?? "", /^store: not ready \(the writer thread stopped: the thread exited \(\d+\)\)$/);
    const ingest = await call(`${s.url}/api/v1/ingest/journal?token=${log.token}`, { method: "POST", headers: { "content-type": "application/vnd.fdo.journal" }, body: "MESSAGE=a\n\n" });
    assert.equal(ingest.status, 503);
    assert.equal((await call(`${s.url}/healthz`)).status, 200, "the process still answers");
  });
});

test("exports ingest counters on /metrics and answers unknown paths in the error shape", async () => {
  await withServer(async (s) => {
    const log = s.store.createLog("m");
    await fetch(`${s.url}/api/v1/ingest/journal?token=${log.token}`, {
      method: "POST",
      headers: { "content-type": "application/vnd.fdo.journal" },
      body: "MESSAGE=a\n\nMESSAGE=b\n\n",
    });
    const text = await (await fetch(`${s.url}/metrics`)).text();
    assert.match(text, /logharbor_ingest_entries_total\{protocol="journal",result="accepted"\} 2/);
    assert.match(text, /logharbor_ingest_batches_total\{protocol="journal",result="ok"\} 1/);
    assert.match(text, /logharbor_http_requests_total\{/);
    assert.match(text, /^logharbor_store_events 2$/m);
    const bytes = Number(/^logharbor_store_bytes (\d+)$/m.exec(text)?.[1]);
    assert.ok(bytes >= statSync(join(s.dataDir, "logharbor.db")).size && bytes > 0, `store bytes ${bytes}`);
    const missing = await call(`${s.url}/api/v1/nothing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error?.code, "LH_ERR_NOT_FOUND");
    const badJson = await call(`${s.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json.error?.code, "LH_ERR_REQUEST");
  });
});
