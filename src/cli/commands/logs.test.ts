import { test } from "node:test";
import assert from "node:assert/strict";
import { call, startTestServer, type TestServer } from "../../server/testing.js";
import { runCli } from "../../../test/harness/processes.js";
import { parseGrace } from "./logs.js";

/** `logharbor ARGS --server URL` against the test server, to its end. */
const cli = (s: TestServer, args: string[]) => runCli([...args, "--server", s.url], { NO_COLOR: "1" });

test("--grace takes 0, seconds, minutes, hours, days or weeks up to 7 days, and names the accepted forms otherwise", () => {
  assert.deepEqual(["0", "90", "90s", "15m", "2h", "7d", "1w"].map(parseGrace), [0, 90, 90, 900, 7200, 604_800, 604_800]);
  for (const bad of ["", "-1m", "2w", "8d", "15 m", "1.5h"]) {
    assert.throws(() => parseGrace(bad), { code: "LH_ERR_USAGE", message: new RegExp(`^--grace: expected a duration such as 0, 90s, 15m, 2h or 1d \\(at most 7d\\), got "${bad.replace(".", "\\.")}"`) });
  }
});

test("logs rotate prints the new token with the old one's deadline; logs revoke refuses them; logs list shows the state", async () => {
  const s = await startTestServer();
  try {
    const log = s.store.createLog("web");
    const rotated = await cli(s, ["logs", "rotate", "web", "--grace", "1h"]);
    assert.equal(rotated.code, 0, rotated.stderr);
    const token = s.store.logByName("web")!.token;
    assert.notEqual(token, log.token);
    assert.match(rotated.stdout, new RegExp(`^New ingest token of log "web":\\n${token}\\n\\nThe previous token is accepted until \\d{4}-\\d\\d-\\d\\dT`));
    assert.equal(s.store.logByToken(log.token)?.id, log.id, "the old token works during the grace period");
    const listed = await cli(s, ["logs", "list"]);
    assert.match(listed.stdout, /TOKEN/);
    assert.match(listed.stdout, /active; previous token accepted until \d{4}-/);

    const quiet = await cli(s, ["logs", "rotate", "web", "--grace", "0", "--quiet"]);
    assert.equal(quiet.stdout, `${s.store.logByName("web")!.token}\n`);
    assert.equal(s.store.logByToken(token), undefined, "--grace 0 refuses the previous token at once");

    const previous = await cli(s, ["logs", "revoke", "web", "--previous"]);
    assert.equal(previous.code, 0, previous.stderr);
    assert.equal(s.store.logByToken(log.token), undefined);
    assert.ok(s.store.logByName("web")!.tokenRevokedAt === undefined);

    const revoked = await cli(s, ["logs", "revoke", "web"]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /its ingest token is refused from now on\. `logharbor logs rotate web` issues a new one/);
    assert.ok(s.store.logByName("web")!.tokenRevokedAt !== undefined);
    assert.match((await cli(s, ["logs", "list"])).stdout, /revoked \d{4}-/);
    const json = JSON.parse((await cli(s, ["logs", "list", "--json"])).stdout) as { token: string | null; token_state: string; retention: string };
    assert.equal(json.token, null);
    assert.equal(json.token_state, "revoked", "logs list --json says what the table says");
    assert.equal(json.retention, "server");

    const bad = await cli(s, ["logs", "rotate", "web", "--grace", "forever"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--grace: expected a duration/);
    // A log name that does not exist is bad usage, like a bad query: exit 2.
    const missing = await cli(s, ["logs", "revoke", "nope"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /log "nope": no log with this name or id/);
  } finally {
    await s.stop();
  }
});

test("query --saved runs a saved query with its range and logs; flags override them", async () => {
  const s = await startTestServer();
  try {
    const web = s.store.createLog("web");
    const db = s.store.createLog("db");
    const now = Date.now() * 1000;
    const ev = (i: number, message: string) => ({ ident: `t:${i}`, tsUs: now - i * 60_000_000, host: "h", unit: "u", priority: 6, message, fieldsJson: "{}" });
    s.store.insert(web.id, [ev(1, "web error one"), ev(90, "web error old")]);
    s.store.insert(db.id, [ev(2, "db error two")]);
    s.store.createSavedQuery({ name: "web errors", q: "error", from: "-1h", to: "now", log: "web" });
    const r = await cli(s, ["query", "--saved", "web errors", "--raw"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "web error one\n");
    const wider = await cli(s, ["query", "--saved", "web errors", "--raw", "--from", "-3h", "--log", "web,db"]);
    assert.equal(wider.stdout, "web error old\ndb error two\nweb error one\n");
    const both = await cli(s, ["query", "error", "--saved", "web errors"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give either a query or --saved NAME, not both/);
    const unknown = await cli(s, ["query", "--saved", "nope"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /saved query "nope": no saved query with this name or id/);
  } finally {
    await s.stop();
  }
});

test("logs retention sets a log's own retention, shows it in logs list, and refuses what it cannot take", async () => {
  const s = await startTestServer();
  try {
    const log = s.store.createLog("web");
    s.store.createLog("app");
    const set = await cli(s, ["logs", "retention", "web", "2w"]);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, "web: keeps events for 2w; older ones are deleted within a minute\n");
    assert.equal(s.store.logById(log.id)!.retentionMs, 14 * 86_400_000);
    assert.match((await cli(s, ["logs", "list"])).stdout, /^NAME\s+EVENTS\s+RETENTION\s.*\n(?:.*\n)*web\s+0\s+2w\s/m);
    const rows = (await cli(s, ["logs", "list", "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as { name: string; retention?: string });
    assert.deepEqual(rows.map((r) => [r.name, r.retention]), [["app", "server"], ["web", "2w"]]);
    assert.equal((await cli(s, ["logs", "retention", "web", "forever"])).stdout, "web: keeps every event\n");
    assert.equal(s.store.logById(log.id)!.retentionMs, 0);
    assert.equal((await cli(s, ["logs", "retention", "web", "default"])).stdout, "web: follows the server's retention (serve --retention)\n");
    assert.equal(s.store.logById(log.id)!.retentionMs, undefined);
    const bad = await cli(s, ["logs", "retention", "web", "30m"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /^logharbor: retention: expected a duration of at least 1h such as "12h", "30d" or "2w", "forever", or "default" \(the server's\), got "30m"/);
    const missing = await call(`${s.url}/api/v1/logs/nope/retention`, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"retention":"1d"}' });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error?.code, "LH_ERR_LOG_NOT_FOUND");
  } finally {
    await s.stop();
  }
});
