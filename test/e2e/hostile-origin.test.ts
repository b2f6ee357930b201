// A web page in the operator's browser, or a DNS-rebinding name, against a real server on loopback
// (issue 14, item 5): it must not manage the server, nor read tokens; the server's own page (same
// origin, JSON) and the CLI keep working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startTestServer, type TestServer } from "../../src/server/testing.js";

interface Answer { status: number; body: string; json: { error?: { code: string; message: string } } & Record<string, unknown> }

/** One request with exactly these headers (Host included), as a browser or a rebinding page sends it. */
function send(s: TestServer, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const u = new URL(s.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: Number(u.port), method, path, headers: { host: u.host, ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        let json: Answer["json"] = {};
        try {
          json = JSON.parse(text) as Answer["json"];
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, body: text, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const EVIL = { origin: "http://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" };

async function withServer(fn: (s: TestServer) => Promise<void>, opts = {}): Promise<void> {
  const s = await startTestServer(opts);
  try {
    await fn(s);
  } finally {
    await s.stop();
  }
}

test("a page of another site cannot revoke or rotate tokens, create keys or logs, with text/plain or body-less POSTs", async () => {
  await withServer(async (s) => {
    const log = s.store.createLog("web");
    const keys = s.store.countApiKeys();
    const attacks: Array<[string, string, Record<string, string>, string | undefined]> = [
      ["POST", "/api/v1/logs/web/token/revoke", { ...EVIL, "content-type": "text/plain" }, '{"previous_only":false}'],
      ["POST", "/api/v1/logs/web/token/revoke", EVIL, undefined],
      ["POST", "/api/v1/logs/web/token/rotate", { ...EVIL, "content-type": "text/plain" }, '{"grace_seconds":0}'],
      ["POST", "/api/v1/keys", { ...EVIL, "content-type": "text/plain" }, '{"read_only":false}'],
      ["POST", "/api/v1/keys", { origin: "null", "content-type": "text/plain" }, "{}"],
      ["POST", "/api/v1/logs", { ...EVIL, "content-type": "application/x-www-form-urlencoded" }, "name=evil"],
      // An old browser that sends no Origin: the body must be JSON, which it cannot send cross-origin.
      ["POST", "/api/v1/logs", { "content-type": "text/plain" }, '{"name":"evil2"}'],
      ["PUT", "/api/v1/logs/web/retention", { "sec-fetch-site": "same-site", "content-type": "application/json" }, '{"retention":"1h"}'],
    ];
    for (const [method, path, headers, body] of attacks) {
      const a = await send(s, method, path, headers, body);
      assert.ok([403, 415].includes(a.status), `${method} ${path} ${JSON.stringify(headers)} → ${a.status} ${a.body}`);
      assert.ok(["LH_ERR_ORIGIN", "LH_ERR_CONTENT_TYPE"].includes(a.json.error?.code ?? ""), a.body);
    }
    assert.equal(s.store.logByName("web")?.token, log.token, "the token was neither rotated nor revoked");
    assert.equal(s.store.logByName("web")?.retentionMs, undefined);
    assert.equal(s.store.countApiKeys(), keys, "no key was made");
    assert.equal(s.store.logByName("evil") ?? s.store.logByName("evil2"), undefined);
  });
});

test("a DNS-rebinding name gets nothing: every API route refuses a Host that is not this server", async () => {
  await withServer(async (s) => {
    const log = s.store.createLog("web");
    const host = { host: "rebind.attacker.example:8080" };
    for (const [method, path, body] of [["GET", "/api/v1/logs", undefined], ["GET", "/api/v1/events", undefined], ["POST", "/api/v1/keys", "{}"], ["GET", "/api/v1/tail", undefined]] as const) {
      const a = await send(s, method, path, { ...host, "content-type": "application/json" }, body);
      assert.equal(a.status, 403, `${method} ${path}: ${a.body}`);
      assert.equal(a.json.error?.code, "LH_ERR_HOST");
      assert.equal(a.body.includes(log.token), false);
    }
    // This machine's names pass.
    for (const h of ["localhost", "127.0.0.1", "[::1]"]) {
      const a = await send(s, "GET", "/api/v1/logs", { host: `${h}:${new URL(s.url).port}` });
      assert.equal(a.status, 200, h);
    }
  });
});

test("a request relayed by a same-host proxy needs an API key, even on loopback", async () => {
  await withServer(async (s) => {
    s.store.createLog("web");
    const a = await send(s, "GET", "/api/v1/logs", { "x-forwarded-for": "203.0.113.9" });
    assert.equal(a.status, 401);
    assert.equal(a.json.error?.code, "LH_ERR_API_KEY");
    const key = s.store.createApiKey(true).secret;
    assert.equal((await send(s, "GET", "/api/v1/logs", { "x-forwarded-for": "203.0.113.9", "x-api-key": key })).status, 200);
  });
});

test("the server's own page (same origin, JSON) and the CLI keep managing the server; --allowed-host names are accepted", async () => {
  await withServer(async (s) => {
    const origin = s.url;
    const same = { origin, "sec-fetch-site": "same-origin", "content-type": "application/json" };
    const created = await send(s, "POST", "/api/v1/logs", same, '{"name":"web"}');
    assert.equal(created.status, 201, created.body);
    const rotated = await send(s, "POST", "/api/v1/logs/web/token/rotate", same, '{"grace_seconds":0}');
    assert.equal(rotated.status, 200, rotated.body);
    const saved = await send(s, "POST", "/api/v1/saved-queries", same, '{"name":"errors","q":"where(error)"}');
    assert.equal(saved.status, 201, saved.body);
    const id = (saved.json["saved_query"] as { id: string }).id;
    assert.equal((await send(s, "DELETE", `/api/v1/saved-queries/${id}`, { origin, "sec-fetch-site": "same-origin" })).status, 204);
    // The CLI and curl: no Origin; a body-less POST passes too.
    assert.equal((await send(s, "POST", "/api/v1/logs/web/token/revoke", {})).status, 200);
    // A name given with --allowed-host, same origin under that name.
    const named = { host: "logs.example.com", origin: "http://logs.example.com", "content-type": "application/json" };
    assert.equal((await send(s, "GET", "/api/v1/logs", { host: "logs.example.com" })).status, 200);
    assert.equal((await send(s, "POST", "/api/v1/logs", named, '{"name":"named"}')).status, 201);
    assert.equal((await send(s, "GET", "/api/v1/logs", { host: "other.example.com" })).status, 403);
  }, { allowedHosts: ["logs.example.com"] });
});
