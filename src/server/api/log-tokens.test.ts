// Token rotation and revocation through the HTTP API, checked on the ingest protocols themselves:
// the acked journal batch API, token TCP (whose token cache must not keep accepting a refused
// token), the webhook and the systemd-journal-upload endpoint.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { encodeExportEntry } from "../../core/journal/export-encoder.js";
import { call, jsonBody, startTestServer, type TestServer } from "../testing.js";

let mono = 1_000_000;

async function journal(s: TestServer, token: string, message: string): Promise<number> {
  const body = encodeExportEntry([
    ["__REALTIME_TIMESTAMP", String(Date.now() * 1000)],
    ["__MONOTONIC_TIMESTAMP", String(mono++)],
    ["_BOOT_ID", "0123456789abcdef0123456789abcdef"],
    ["MESSAGE", message],
  ]);
  const res = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" }, body,
  });
  await res.text();
  return res.status;
}

async function webhook(s: TestServer, token: string, message: string): Promise<number> {
  const res = await fetch(`${s.url}/noformat/logs/${token}`, { method: "POST", body: message });
  await res.text();
  return res.status;
}

async function upload(s: TestServer, token: string, message: string): Promise<number> {
  const body = encodeExportEntry([
    ["__CURSOR", `s=0123;i=${mono}`],
    ["__REALTIME_TIMESTAMP", String(Date.now() * 1000)],
    ["__MONOTONIC_TIMESTAMP", String(mono++)],
    ["_BOOT_ID", "0123456789abcdef0123456789abcdef"],
    ["MESSAGE", message],
  ]);
  const res = await fetch(`${s.url}/t/${token}/upload`, { method: "POST", headers: { "content-type": "application/vnd.fdo.journal" }, body });
  await res.text();
  return res.status;
}

function messagesOf(s: TestServer, logId: string): string[] {
  return s.store.search({ logIds: [logId], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 10_000, order: "asc" }).events.map((e) => e.message);
}

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 30_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

interface LogJson { id: string; name: string; token: string | null; token_revoked_at?: string; previous_token_valid_until?: string }

test("rotation keeps the old token working for the grace period and then refuses it; revocation refuses every token at once on every protocol; no token is logged", async () => {
  const s = await startTestServer({ ingest: { tcp: "127.0.0.1:0" } });
  const sock: Socket = connect(s.listeners.tcp!.port, "127.0.0.1");
  try {
    await new Promise((r) => sock.once("connect", r));
    const log = s.store.createLog("web");
    const tokens = [log.token];
    /** Writes `line` with `token` over TCP, then a marker with a working token: once the marker is stored, `line` was handled. */
    let markers = 0;
    const tcp = async (token: string, line: string, working: string): Promise<boolean> => {
      const marker = `marker ${++markers}`;
      sock.write(`${token} ${line}\n${working} ${marker}\n`);
      await until(marker, () => (messagesOf(s, log.id).includes(marker) ? true : undefined));
      return messagesOf(s, log.id).includes(line);
    };

    // The token is in use (and in the TCP listener's cache) before the rotation.
    assert.equal(await journal(s, tokens[0]!, "journal before"), 200);
    assert.equal(await tcp(tokens[0]!, "tcp before", tokens[0]!), true);

    const rotated = await call(`${s.url}/api/v1/logs/web/token/rotate`, jsonBody({ grace_seconds: 600 }));
    assert.equal(rotated.status, 200, JSON.stringify(rotated.json));
    const r1 = rotated.json["log"] as LogJson;
    tokens.push(r1.token!);
    assert.notEqual(r1.token, tokens[0]);
    const until1 = Date.parse(r1.previous_token_valid_until!);
    assert.ok(until1 > Date.now() + 590_000 && until1 <= Date.now() + 600_000, r1.previous_token_valid_until);

    // During the grace period both work, on every protocol.
    for (const t of tokens) {
      assert.equal(await journal(s, t, `journal grace ${t.slice(0, 4)}`), 200);
      assert.equal(await tcp(t, `tcp grace ${t.slice(0, 4)}`, tokens[1]!), true);
      assert.equal(await webhook(s, t, `webhook grace ${t.slice(0, 4)}`), 204);
      assert.equal(await upload(s, t, `upload grace ${t.slice(0, 4)}`), 202);
    }

    // Ending the grace period early refuses the old token at once; the new one goes on working.
    const ended = await call(`${s.url}/api/v1/logs/${log.id}/token/revoke`, jsonBody({ previous_only: true }));
    assert.equal(ended.status, 200);
    assert.equal((ended.json["log"] as LogJson).previous_token_valid_until, undefined);
    assert.equal((ended.json["log"] as LogJson).token, tokens[1]);
    assert.equal(await journal(s, tokens[0]!, "journal after the grace"), 403);
    assert.equal(await tcp(tokens[0]!, "tcp after the grace", tokens[1]!), false);
    assert.equal(await webhook(s, tokens[0]!, "webhook after the grace"), 403);
    assert.equal(await upload(s, tokens[0]!, "upload after the grace"), 403);

    // A short grace period ends by itself: the old token is then refused.
    const short = await call(`${s.url}/api/v1/logs/web/token/rotate`, jsonBody({ grace_seconds: 1 }));
    tokens.push((short.json["log"] as LogJson).token!);
    await until("the 1 s grace period to end", async () => ((await journal(s, tokens[1]!, "journal while the short grace lasts")) === 403 ? true : undefined));
    assert.equal(await tcp(tokens[1]!, "tcp after the short grace", tokens[2]!), false);
    assert.equal(await webhook(s, tokens[1]!, "webhook after the short grace"), 403);

    // Revocation: every token of the log refused at once, including the cached current one.
    assert.equal(await tcp(tokens[2]!, "tcp before the revocation", tokens[2]!), true);
    assert.equal(await webhook(s, tokens[2]!, "webhook before the revocation"), 204);
    const revoked = await call(`${s.url}/api/v1/logs/web/token/revoke`, { method: "POST" });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.json));
    const rv = revoked.json["log"] as LogJson;
    assert.equal(rv.token, null);
    assert.ok(!Number.isNaN(Date.parse(rv.token_revoked_at!)));
    const refused = await call(`${s.url}/api/v1/ingest/journal`, {
      method: "POST", headers: { authorization: `Bearer ${tokens[2]}`, "content-type": "application/vnd.fdo.journal" }, body: "",
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error?.code, "LH_ERR_TOKEN_UNKNOWN");
    assert.equal(await webhook(s, tokens[2]!, "webhook after the revocation"), 403);
    assert.equal(await upload(s, tokens[2]!, "upload after the revocation"), 403);
    // (The marker needs a working token: a fresh rotation, with no grace for the revoked one.)
    const fresh = await call(`${s.url}/api/v1/logs/web/token/rotate`, jsonBody({ grace_seconds: 600 }));
    const f = fresh.json["log"] as LogJson;
    tokens.push(f.token!);
    assert.equal(f.token_revoked_at, undefined);
    assert.equal(f.previous_token_valid_until, undefined, "a revoked token gets no grace period");
    assert.equal(await tcp(tokens[2]!, "tcp after the revocation", tokens[3]!), false);
    assert.equal(await journal(s, tokens[2]!, "journal after the revocation"), 403);
    assert.equal(await journal(s, tokens[3]!, "journal with the fresh token"), 200);

    const stored = messagesOf(s, log.id);
    assert.ok(!stored.some((m) => /after the (grace|short grace|revocation)/.test(m)), stored.join("\n"));
    const rejected = await (await fetch(`${s.url}/metrics`)).text();
    assert.match(rejected, /logharbor_ingest_lines_total\{protocol="token-tcp",result="rejected",reason="token_unknown"\} 3/);

    const list = await call(`${s.url}/api/v1/logs`);
    assert.equal((list.json["logs"] as LogJson[])[0]!.token, tokens[3]);
    const logs = s.logs();
    assert.match(logs, /rotated a log's ingest token/);
    for (const t of tokens) assert.ok(!logs.includes(t), `token ${tokens.indexOf(t)} appears in the server log`);
  } finally {
    sock.destroy();
    await s.stop();
  }
});

test("rotate and revoke: bad input gets a clear error; read-only keys may not; unknown logs are 404", async () => {
  const s = await startTestServer();
  try {
    s.store.createLog("web");
    for (const grace of [-1, 1.5, "60", 604_801]) {
      const r = await call(`${s.url}/api/v1/logs/web/token/rotate`, jsonBody({ grace_seconds: grace }));
      assert.equal(r.status, 400, String(grace));
      assert.match(r.json.error!.message, /^grace_seconds: expected an integer from 0 to 604800 \(7 days\), got /);
    }
    const flag = await call(`${s.url}/api/v1/logs/web/token/revoke`, jsonBody({ previous_only: "yes" }));
    assert.equal(flag.status, 400);
    assert.match(flag.json.error!.message, /^previous_only: expected true or false/);
    const arr = await call(`${s.url}/api/v1/logs/web/token/revoke`, jsonBody([1]));
    assert.equal(arr.status, 400);
    const missing = await call(`${s.url}/api/v1/logs/nope/token/rotate`, { method: "POST" });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error?.code, "LH_ERR_LOG_NOT_FOUND");
    const ro = s.store.createApiKey(true).secret;
    const denied = await call(`${s.url}/api/v1/logs/web/token/revoke`, { method: "POST", headers: { "x-api-key": ro } });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error?.code, "LH_ERR_FORBIDDEN");
    assert.equal((await call(`${s.url}/api/v1/logs`)).status, 200);
    assert.equal(s.store.logByName("web")!.tokenRevokedAt, undefined, "nothing was revoked");
  } finally {
    await s.stop();
  }
});
