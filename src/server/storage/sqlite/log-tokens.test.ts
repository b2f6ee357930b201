import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogTokens } from "./log-tokens.js";
import { DB_FILE, SqliteStore } from "./sqlite-store.js";
import { MIGRATIONS, SCHEMA_VERSION, applyPragmas, migrate } from "./schema.js";

async function withStore(fn: (s: SqliteStore) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lh-tokens-"));
  const s = SqliteStore.open(dir);
  try {
    fn(s);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("log tokens: a rotated-out token is accepted until its grace period ends, then refused", () => {
  const db = new Database(":memory:");
  migrate(db, ":memory:");
  db.prepare("INSERT INTO logs (id, name, token, created_at) VALUES ('L', 'web', 'old', 0)").run();
  const t = new LogTokens(db);
  const now = 1_000_000;
  assert.equal(t.logOfToken("old", now)?.name, "web");
  const g0 = t.generation();
  t.rotate(1, 60_000, now);
  assert.notEqual(t.generation(), g0, "a rotation changes the generation");
  const fresh = t.row(1, now)!.token;
  assert.notEqual(fresh, "old");
  assert.equal(t.logOfToken(fresh, now)?.name, "web");
  assert.equal(t.logOfToken("old", now + 59_999)?.name, "web", "the old token works during the grace period");
  assert.equal(t.logOfToken("old", now + 59_999)?.previous_until, now + 60_000);
  assert.equal(t.logOfToken("old", now + 60_000), undefined, "and is refused once it ends");
  assert.equal(t.row(1, now + 60_000)!.previous_until, null);
  // A second rotation inside the first grace keeps both previous tokens until their own ends.
  t.rotate(1, 120_000, now + 1000);
  const third = t.row(1, now + 1000)!.token;
  assert.equal(t.logOfToken("old", now + 2000)?.name, "web");
  assert.equal(t.logOfToken(fresh, now + 100_000)?.name, "web");
  assert.equal(t.logOfToken("old", now + 100_000), undefined);
  assert.equal(t.logOfToken(third, now + 100_000)?.name, "web");
  // Ending the grace early: only the previous tokens are refused.
  t.revoke(1, true, now + 3000);
  assert.equal(t.logOfToken(fresh, now + 3000), undefined);
  assert.equal(t.logOfToken(third, now + 3000)?.name, "web");
  assert.equal(t.row(1, now + 3000)!.token_revoked_at, null);
});

test("log tokens: revocation refuses every token of the log at once; the next rotation issues a fresh one with no grace for the revoked", () => {
  const db = new Database(":memory:");
  migrate(db, ":memory:");
  db.prepare("INSERT INTO logs (id, name, token, created_at) VALUES ('L', 'web', 'old', 0), ('M', 'db', 'other', 0)").run();
  const t = new LogTokens(db);
  t.rotate(1, 600_000, 10);
  const cur = t.row(1, 10)!.token;
  const g = t.generation();
  t.revoke(1, false, 20);
  assert.notEqual(t.generation(), g);
  assert.equal(t.logOfToken(cur, 21), undefined);
  assert.equal(t.logOfToken("old", 21), undefined, "a token in its grace period is refused too");
  assert.equal(t.row(1, 21)!.token_revoked_at, 20);
  assert.equal(t.logOfToken("other", 21)?.name, "db", "other logs are untouched");
  t.rotate(1, 600_000, 30);
  const next = t.row(1, 30)!;
  assert.equal(next.token_revoked_at, null);
  assert.equal(t.logOfToken(next.token, 31)?.name, "web");
  assert.equal(t.logOfToken(cur, 31), undefined, "the revoked token gets no grace period");
  assert.equal(next.previous_until, null);
});

test("store: rotateToken and revokeToken report the token state; logByToken follows it", async () => {
  await withStore((s) => {
    const log = s.createLog("web");
    const rotated = s.rotateToken(log.id, 3_600_000);
    assert.notEqual(rotated.token, log.token);
    assert.ok(rotated.previousTokenUntil! > Date.now());
    assert.equal(s.logByToken(log.token)?.id, log.id);
    assert.equal(s.logByToken(rotated.token)?.id, log.id);
    assert.equal(s.listLogs()[0]!.previousTokenUntil, rotated.previousTokenUntil);
    const revoked = s.revokeToken(log.id);
    assert.ok(revoked.tokenRevokedAt !== undefined);
    assert.equal(revoked.previousTokenUntil, undefined);
    assert.equal(s.logByToken(log.token), undefined);
    assert.equal(s.logByToken(rotated.token), undefined);
    assert.equal(s.logByName("web")?.tokenRevokedAt, revoked.tokenRevokedAt);
    assert.throws(() => s.rotateToken("no-such-id", 0), { code: "LH_ERR_LOG_NOT_FOUND" });
  });
});

test("store: saved queries are created, found by id or name, updated, and deleted; names are unique", async () => {
  await withStore((s) => {
    const a = s.createSavedQuery({ name: "errors", q: "where(priority <= err)", from: "-1h", to: "now", log: "" });
    const b = s.createSavedQuery({ name: "Alpha", q: "", from: "all", to: "", log: "web" });
    assert.deepEqual(s.listSavedQueries().map((x) => x.name), ["Alpha", "errors"]);
    assert.equal(s.savedQuery(a.id)?.name, "errors");
    assert.equal(s.savedQuery("Alpha")?.id, b.id);
    assert.throws(() => s.createSavedQuery({ name: "errors", q: "", from: "", to: "", log: "" }), { code: "LH_ERR_SAVED_QUERY_EXISTS" });
    assert.throws(() => s.updateSavedQuery(b.id, { ...b, name: "errors" }), { code: "LH_ERR_SAVED_QUERY_EXISTS" });
    const u = s.updateSavedQuery(a.id, { name: "errors", q: "error", from: "-24h", to: "now", log: "web" });
    assert.equal(u.createdAt, a.createdAt);
    assert.deepEqual({ ...s.savedQuery(a.id)!, updatedAt: 0 }, { ...u, updatedAt: 0 });
    assert.equal(s.deleteSavedQuery(a.id), true);
    assert.equal(s.deleteSavedQuery(a.id), false);
    assert.throws(() => s.updateSavedQuery(a.id, u), { code: "LH_ERR_NOT_FOUND" });
  });
});

test("store: a version-3 database is upgraded in place: its logs keep their tokens and events, and gain rotation and saved queries", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-upgrade-"));
  try {
    const db = new Database(join(dir, DB_FILE));
    applyPragmas(db);
    db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    for (const m of MIGRATIONS.slice(0, 3)) db.exec(m);
    db.exec("INSERT INTO schema_version (version) VALUES (3)");
    db.exec("INSERT INTO logs (id, name, token, created_at, events) VALUES ('11111111-1111-4111-8111-111111111111', 'old', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 5, 1)");
    db.exec(`INSERT INTO events (log, ts, host, unit, priority, ident, message, fields) VALUES (1, 1700000000000000, NULL, NULL, 6, 'x:1', 'kept across the upgrade', '{}')`);
    db.exec("INSERT INTO events_fts (rowid, message) VALUES (1, 'kept across the upgrade')");
    db.close();

    const s = SqliteStore.open(dir);
    try {
      const v = new Database(join(dir, DB_FILE), { readonly: true });
      assert.equal((v.prepare("SELECT version FROM schema_version").get() as { version: number }).version, SCHEMA_VERSION);
      v.close();
      const log = s.logByToken("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
      assert.equal(log?.name, "old");
      assert.equal(log?.tokenRevokedAt, undefined);
      const page = s.search({ logIds: [log!.id], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 10, order: "desc", where: { kind: "term", value: "upgrade" } });
      assert.deepEqual(page.events.map((e) => e.message), ["kept across the upgrade"]);
      const r = s.rotateToken(log!.id, 1000 * 60);
      assert.equal(s.logByToken("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")?.id, log!.id);
      assert.equal(s.logByToken(r.token)?.id, log!.id);
      assert.equal(s.createSavedQuery({ name: "q", q: "", from: "-1h", to: "now", log: "old" }).name, "q");
    } finally {
      await s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

