// Keys and tokens against a real server that needs keys (issue 14, items 6 and 11, and one token
// rule): read-only keys never see ingest tokens; keys have names, expiry, last use, can be listed
// (never their secrets), revoked and rotated (the admin key too); an upper-case token is the same
// token on every ingest path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { encodeExportEntry } from "../../src/core/journal/export-encoder.js";
import { call, jsonBody, startTestServer, type TestServer } from "../../src/server/testing.js";
import { runCli, waitFor } from "../harness/processes.js";

async function withServer(fn: (s: TestServer, admin: string) => Promise<void>, opts = {}): Promise<void> {
  const s = await startTestServer({ requireApiKey: true, ...opts });
  try {
    await fn(s, readFileSync(join(s.dataDir, "admin-api-key"), "utf8").trim());
  } finally {
    await s.stop();
  }
}

const get = (s: TestServer, path: string, key: string) => call(`${s.url}${path}`, { headers: { "x-api-key": key } });

test("a read-only key lists logs without their ingest tokens, in the API, the CLI and the page's data; writers see them", async () => {
  await withServer(async (s, admin) => {
    const log = s.store.createLog("web");
    const ro = s.store.createApiKey(true).secret;
    const rw = s.store.createApiKey(false).secret;
    const seen = await get(s, "/api/v1/logs", ro);
    assert.equal(seen.status, 200);
    const logs = seen.json["logs"] as Array<Record<string, unknown>>;
    assert.equal(logs[0]!["name"], "web");
    assert.equal("token" in logs[0]!, false);
    assert.equal(JSON.stringify(seen.json).includes(log.token), false);
    for (const k of [rw, admin]) assert.equal(((await get(s, "/api/v1/logs", k)).json["logs"] as Array<{ token: string }>)[0]!.token, log.token);
    const cli = await runCli(["logs", "list", "--server", s.url, "--api-key", ro]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(cli.stdout.includes(log.token), false);
    assert.match(cli.stdout, /hidden/);
    // Nor may it learn one by rotating or revoking (writes).
    assert.equal((await call(`${s.url}/api/v1/logs/web/token/rotate`, jsonBody({}, { "x-api-key": ro }))).status, 403);
  });
});

test("keys get a name and an expiry, are listed without secrets with their last use, revoked, and rotated; only admin keys manage them", async () => {
  await withServer(async (s, admin) => {
    const cli = (...args: string[]) => runCli([...args, "--server", s.url, "--api-key", admin]);
    const made = await cli("keys", "create", "--name", "ci", "--expires", "1h", "--json");
    assert.equal(made.code, 0, made.stderr);
    const ci = JSON.parse(made.stdout) as { id: string; name: string; role: string; secret: string; expires_at: string };
    assert.equal(ci.name, "ci");
    assert.equal(ci.role, "read-write");
    assert.ok(Date.parse(ci.expires_at) > Date.now() + 50 * 60_000);
    assert.equal((await get(s, "/api/v1/logs", ci.secret)).status, 200);

    const listed = await cli("keys", "list", "--json");
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout.includes("lhk_"), false, "no secret is ever listed");
    const rows = listed.stdout.trim().split("\n").map((l) => JSON.parse(l) as { name: string; role: string; last_used_at?: string });
    assert.deepEqual(rows.map((r) => [r.name, r.role]), [["admin", "admin"], ["ci", "read-write"]]);
    assert.ok(rows[1]!.last_used_at !== undefined, "the last use is recorded");
    const table = await cli("keys", "list");
    assert.match(table.stdout, /^NAME\s+ROLE/);

    // A read-write key may not manage keys (nor mint an admin key for itself).
    const escalate = await call(`${s.url}/api/v1/keys`, jsonBody({ admin: true }, { "x-api-key": ci.secret }));
    assert.equal(escalate.status, 403);
    assert.equal(escalate.json.error?.code, "LH_ERR_FORBIDDEN");
    assert.equal((await get(s, "/api/v1/keys", ci.secret)).status, 403);

    // Revoked: refused at once.
    const revoked = await cli("keys", "revoke", "ci");
    assert.equal(revoked.code, 0, revoked.stderr);
    const after = await get(s, "/api/v1/logs", ci.secret);
    assert.equal(after.status, 401);
    assert.equal(after.json.error?.code, "LH_ERR_API_KEY");

    // An expired key is refused.
    const soon = await call(`${s.url}/api/v1/keys`, jsonBody({ name: "brief", expires: String(Date.now() + 1500) }, { "x-api-key": admin }));
    assert.equal(soon.status, 201, JSON.stringify(soon.json));
    const brief = (soon.json["key"] as { secret: string }).secret;
    assert.equal((await get(s, "/api/v1/logs", brief)).status, 200);
    await waitFor("the key to expire", async () => ((await get(s, "/api/v1/logs", brief)).status === 401 ? true : undefined), 10_000);
    for (const expires of ["-1h", "yesterday", "2001-01-01T00:00:00Z"]) {
      const bad = await call(`${s.url}/api/v1/keys`, jsonBody({ expires }, { "x-api-key": admin }));
      assert.equal(bad.status, 400, expires);
      assert.match(bad.json.error!.message, /^expires: expected/);
    }

    // The admin key rotated: the old secret is refused, DATA_DIR/admin-api-key holds the new one.
    const rotated = await cli("keys", "rotate", "admin", "--quiet");
    assert.equal(rotated.code, 0, rotated.stderr);
    const fresh = rotated.stdout.trim();
    assert.equal((await get(s, "/api/v1/keys", admin)).status, 401);
    assert.equal((await get(s, "/api/v1/keys", fresh)).status, 200);
    assert.equal(readFileSync(join(s.dataDir, "admin-api-key"), "utf8").trim(), fresh);
    assert.equal(s.logs().includes(fresh) || s.logs().includes(ci.secret), false, "no secret in the server log");
  });
});

test("an upper-case ingest token is the same token on the batch API, /upload, /v1/logs, /noformat and token TCP", async () => {
  const s = await startTestServer({ ingest: { tcp: "127.0.0.1:0" } });
  try {
    const log = s.store.createLog("web");
    const T = log.token.toUpperCase();
    const entry = (i: number) => encodeExportEntry([["__REALTIME_TIMESTAMP", String(1_700_000_000_000_000 + i)], ["MESSAGE", `entry ${i}`]]);
    const batch = await call(`${s.url}/api/v1/ingest/journal`, { method: "POST", headers: { authorization: `Bearer ${T}`, "content-type": "application/vnd.fdo.journal" }, body: entry(1) });
    assert.equal(batch.status, 200, JSON.stringify(batch.json));
    const query = await call(`${s.url}/api/v1/ingest/journal?token=${T}`, { method: "POST", headers: { "content-type": "application/vnd.fdo.journal" }, body: entry(2) });
    assert.equal(query.status, 200, JSON.stringify(query.json));
    const upload = await fetch(`${s.url}/t/${T}/upload`, { method: "POST", headers: { "content-type": "application/vnd.fdo.journal" }, body: entry(3) });
    assert.equal(upload.status, 202, await upload.text());
    assert.equal((await fetch(`${s.url}/v1/logs/${T}`, jsonBody({ msg: "js" }))).status, 204);
    assert.equal((await fetch(`${s.url}/noformat/logs/${T}`, { method: "POST", body: "plain" })).status, 204);
    const sock = connect(s.listeners.tcp!.port, "127.0.0.1");
    sock.end(`${T} over tcp\n`);
    await waitFor("6 events", () => (s.store.count(log.id) === 6 ? true : undefined));
  } finally {
    await s.stop();
  }
});
