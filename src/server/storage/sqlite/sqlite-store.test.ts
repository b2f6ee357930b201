import { test } from "node:test";
import Database from "better-sqlite3";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "./sqlite-store.js";
import { LogharborError } from "../../../core/errors.js";
import type { EventSearch, NewEvent, Predicate } from "../store.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "lh-store-"));
}

const T0 = 1_700_000_000_000_000;

function ev(i: number, over: Partial<NewEvent> & { fields?: Record<string, unknown> } = {}): NewEvent {
  const { fields, ...rest } = over;
  const message = rest.message ?? `message number ${i}`;
  return {
    ident: `s:abc:${i}`,
    tsUs: T0 + i * 1000,
    host: "web-1",
    unit: "nginx.service",
    priority: 6,
    message,
    fieldsJson: JSON.stringify({ MESSAGE: message, ...(fields ?? {}) }),
    ...rest,
  };
}

function withStore(fn: (s: SqliteStore, dir: string) => void): void {
  const dir = tempDir();
  const s = SqliteStore.open(dir);
  try {
    fn(s, dir);
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function search(s: SqliteStore, over: Partial<EventSearch> = {}): EventSearch {
  return { logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 100, order: "asc", ...over };
}

function messages(s: SqliteStore, where: Predicate | undefined): string[] {
  return s.search(search(s, where ? { where } : {})).events.map((e) => e.message);
}

test("skips events whose identity the log already holds and counts them as duplicates", () => {
  withStore((s) => {
    const a = s.createLog("a");
    const b = s.createLog("b");
    assert.deepEqual(s.insert(a.id, [ev(1), ev(2), ev(2)]), { inserted: 2, duplicates: 1 });
    assert.deepEqual(s.insert(a.id, [ev(1), ev(2), ev(3)]), { inserted: 1, duplicates: 2 });
    assert.deepEqual(s.insert(b.id, [ev(1)]), { inserted: 1, duplicates: 0 }, "identity is per log");
    assert.equal(s.count(a.id), 3);
    assert.equal(s.count(b.id), 1);
    assert.equal(s.count(), 4);
    assert.equal(messages(s, { kind: "term", value: "number" }).length, 4, "full-text index holds each event once");
  });
});

// Rows go in many to a statement with ids assigned in order; when the dedupe index turns some away,
// the writer must still give each stored row its own id in the full-text index, the parsed fields
// and what listeners see. Both the sync path and the writer thread's.
for (const viaThread of [false, true]) {
  test(`a batch mixing duplicates and new rows over several statements keeps ids, text and parsed fields together (${viaThread ? "writer thread" : "sync"})`, async () => {
    const dir = tempDir();
    const s = SqliteStore.open(dir);
    try {
      if (viaThread) s.startWriterThread();
      const l = s.createLog("mixed");
      const e = (i: number) => ev(i, { message: `w${i} n=${i}`, host: `h${i % 3}` });
      const old = Array.from({ length: 200 }, (_, i) => e(i * 2)); // even numbers
      assert.deepEqual(await s.insertAsync(l.id, old), { inserted: 200, duplicates: 0 });
      const seen: Array<[number, string, unknown]> = [];
      s.onInserted((evs) => { for (const x of evs) seen.push([x.id, x.message, x.parsed?.["n"]]); });
      const mixed = Array.from({ length: 300 }, (_, i) => e(i)); // every even one a duplicate
      assert.deepEqual(await s.insertAsync(l.id, [...mixed, e(1)]), { inserted: 150, duplicates: 151 });
      assert.deepEqual(seen.map(([, m]) => m), mixed.filter((_, i) => i % 2 === 1).map((x) => x.message));
      for (const [id, message, n] of seen) {
        assert.equal(n, Number(message.slice(message.indexOf("=") + 1)), "listeners get each row's own parsed fields");
        const found = s.search(search(s, { where: { kind: "term", value: message.split(" ")[0]! } })).events;
        assert.deepEqual(found.map((x) => [x.id, x.message, x.parsed?.["n"]]), [[id, message, n]], "the full-text index points at the row's own id");
      }
      assert.deepEqual(messages(s, { kind: "field", field: "n", op: "=", value: 151 }), ["w151 n=151"]);
      assert.equal(s.count(l.id), 350);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("when SQLite cannot give a batch consecutive ids, the batch is refused and rolled back rather than indexed under wrong ids", () => {
  withStore((s, dir) => {
    const l = s.createLog("x");
    s.insert(l.id, [ev(1)]);
    // At the largest rowid SQLite picks random ids for new rows.
    const db = new Database(join(dir, "logharbor.db"));
    try {
      db.prepare("INSERT INTO events (id, log, ts, ident, message, fields) VALUES (9223372036854775807, 1, 0, 'edge', 'edge', '{}')").run();
    } finally {
      db.close();
    }
    assert.throws(() => s.insert(l.id, [ev(2), ev(3)]), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_INTERNAL");
    assert.equal(s.count(l.id), 1, "nothing of the refused batch is counted");
    assert.deepEqual(messages(s, { kind: "term", value: "number" }), ["message number 1"]);
  });
});

test("refuses a second log with the same name", () => {
  withStore((s) => {
    s.createLog("same");
    assert.throws(() => s.createLog("same"), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_LOG_EXISTS" && e.status === 409);
  });
});

test("finds logs by token, name and id", () => {
  withStore((s) => {
    const l = s.createLog("web");
    assert.match(l.id, /^[0-9a-f-]{36}$/);
    assert.match(l.token, /^[0-9a-f-]{36}$/);
    assert.deepEqual(s.logByToken(l.token), l);
    assert.deepEqual(s.logByName("web"), l);
    assert.deepEqual(s.logById(l.id), l);
    assert.equal(s.logByToken("nope"), undefined);
    assert.deepEqual(s.listLogs(), [l]);
  });
});

test("keeps committed events across a reopen", () => {
  const dir = tempDir();
  try {
    let s = SqliteStore.open(dir);
    const l = s.createLog("durable");
    s.insert(l.id, [ev(1, { host: "h1" }), ev(2, { host: "h2" })]);
    s.close();
    s = SqliteStore.open(dir);
    assert.equal(s.count(l.id), 2);
    const page = s.search(search(s));
    assert.deepEqual(page.events.map((e) => [e.host, e.logName, e.logId]), [["h1", "durable", l.id], ["h2", "durable", l.id]]);
    assert.deepEqual(s.insert(l.id, [ev(2), ev(3, { host: "h1" })]), { inserted: 1, duplicates: 1 });
    s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("compiles terms, phrases, regexes and boolean combinations", () => {
  withStore((s) => {
    const l = s.createLog("x");
    s.insert(l.id, [
      ev(1, { message: "Connection TIMEOUT to db-1" }),
      ev(2, { message: "request served in 12 ms" }),
      ev(3, { message: "timeout waiting for lock" }),
      ev(4, { message: 'he said "hi" résumé' }),
    ]);
    assert.deepEqual(messages(s, { kind: "term", value: "timeout" }), ["Connection TIMEOUT to db-1", "timeout waiting for lock"]);
    assert.deepEqual(messages(s, { kind: "term", value: '"hi"' }), ['he said "hi" résumé'], "quotes in a term are safe");
    assert.deepEqual(messages(s, { kind: "term", value: "resume" }), ['he said "hi" résumé'], "diacritics folded");
    assert.deepEqual(messages(s, { kind: "phrase", value: "waiting for" }), ["timeout waiting for lock"]);
    assert.deepEqual(messages(s, { kind: "phrase", value: "for waiting" }), []);
    assert.deepEqual(messages(s, { kind: "regex", source: "\\d+ ms$", flags: "" }), ["request served in 12 ms"]);
    assert.deepEqual(messages(s, { kind: "regex", source: "^CONN", flags: "i" }), ["Connection TIMEOUT to db-1"]);
    assert.deepEqual(
      messages(s, { kind: "and", items: [{ kind: "term", value: "timeout" }, { kind: "not", item: { kind: "term", value: "lock" } }] }),
      ["Connection TIMEOUT to db-1"],
    );
    assert.deepEqual(
      messages(s, { kind: "or", items: [{ kind: "term", value: "served" }, { kind: "term", value: "lock" }] }),
      ["request served in 12 ms", "timeout waiting for lock"],
    );
    assert.throws(() => messages(s, { kind: "regex", source: "(", flags: "" }), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_PARAM");
  });
});

test("compiles field comparisons on columns and JSON fields, numbers numerically", () => {
  withStore((s) => {
    const l = s.createLog("x");
    s.insert(l.id, [
      ev(1, { message: "a", host: "web-1", unit: "nginx.service", priority: 3, fields: { STATUS: "500", CONTAINER_NAME: "api" } }),
      ev(2, { message: "b", host: "web-2", unit: "sshd.service", priority: 6, fields: { STATUS: "200" } }),
      ev(3, { message: "c", host: null, unit: null, priority: null, fields: { STATUS: "99" } }),
      ev(4, { message: "d", host: "db-1", unit: "nginx.service", priority: 7, fields: { STATUS: "abc" } }),
    ]);
    const f = (field: string, op: Predicate extends infer P ? P extends { kind: "field"; op: infer O } ? O : never : never, value: string | number | Array<string | number>) =>
      messages(s, { kind: "field", field, op, value });
    assert.deepEqual(f("_HOSTNAME", "=", "web-1"), ["a"]);
    assert.deepEqual(f("host", "starts-with", "WEB"), ["a", "b"]);
    assert.deepEqual(f("host", "!=", "web-1"), ["b", "c", "d"], "an absent host differs too");
    assert.deepEqual(f("unit", "=", "nginx.service"), ["a", "d"]);
    assert.deepEqual(f("_SYSTEMD_UNIT", "contains", "SSH"), ["b"]);
    assert.deepEqual(f("PRIORITY", "<=", 3), ["a"]);
    assert.deepEqual(f("priority", "=", "err"), ["a"], "priority names");
    assert.deepEqual(f("priority", "in", [6, 7]), ["b", "d"]);
    assert.deepEqual(f("STATUS", ">=", 200), ["a", "b"], "numerically: 99 < 200, abc is not a number");
    assert.deepEqual(f("STATUS", ">=", "200"), ["a", "b", "c", "d"], "as text when the value is a string (\"99\" > \"200\")");
    assert.deepEqual(f("STATUS", "=", 500), ["a"]);
    assert.deepEqual(f("STATUS", "in", ["200", 99]), ["b", "c"]);
    assert.deepEqual(f("container", "=", "api"), ["a"], "aliases resolve to journal fields");
    assert.deepEqual(f("MESSAGE", "=", "c"), ["c"]);
    assert.deepEqual(messages(s, { kind: "exists", field: "CONTAINER_NAME" }), ["a"]);
    assert.deepEqual(messages(s, { kind: "exists", field: "host" }), ["a", "b", "d"]);
    assert.deepEqual(messages(s, { kind: "not", item: { kind: "exists", field: "host" } }), ["c"]);
    assert.throws(() => f('A"B', "=", "x"), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_PARAM");
  });
});

test("pages through events newest first and oldest first without gaps or repeats", () => {
  withStore((s) => {
    const a = s.createLog("a");
    const b = s.createLog("b");
    // Several events share a timestamp: the page position must break ties by id.
    const evs = Array.from({ length: 25 }, (_, i) => ev(i, { tsUs: T0 + Math.floor(i / 3) }));
    s.insert(a.id, evs.filter((_, i) => i % 2 === 0));
    s.insert(b.id, evs.filter((_, i) => i % 2 === 1));
    for (const order of ["desc", "asc"] as const) {
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const p = s.search(search(s, { order, limit: 4, logIds: [a.id, b.id], ...(after ? { after } : {}) }));
        seen.push(...p.events.map((e) => e.message));
        if (!p.nextPage) break;
        after = p.nextPage;
      }
      const all = s.search(search(s, { order, limit: 1000 })).events;
      assert.equal(all.length, 25);
      const ts = all.map((e) => e.tsUs);
      assert.deepEqual(ts, [...ts].sort((x, y) => (order === "asc" ? x - y : y - x)), `${order}: in time order`);
      assert.deepEqual(seen, all.map((e) => e.message), `${order}: pages hold every event once`);
    }
    const one = s.search(search(s, { logIds: [b.id], fromUs: T0 + 2, toUs: T0 + 4 }));
    assert.deepEqual(one.events.map((e) => e.message), ["message number 7", "message number 9", "message number 11"]);
    assert.throws(() => s.search(search(s, { after: "garbage" })), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_PARAM");
  });
});

test("keeps only a hash of API key secrets and finds keys by secret", () => {
  withStore((s, dir) => {
    assert.equal(s.countApiKeys(), 0);
    const rw = s.createApiKey(false);
    const ro = s.createApiKey(true);
    assert.equal(s.countApiKeys(), 2);
    assert.deepEqual(s.apiKeyBySecret(rw.secret), rw.key);
    assert.deepEqual(s.apiKeyBySecret(ro.secret), ro.key);
    assert.equal(s.apiKeyBySecret("lhk_wrong"), undefined);
    s.close();
    const bytes = readFileSync(join(dir, "logharbor.db"));
    assert.equal(bytes.includes(rw.secret), false, "the secret itself is not stored");
  });
});

test("keeps the data directory 0700 and the database, its WAL and shared-memory files 0600, also for a directory made 0755 before", () => {
  const parent = tempDir();
  const dir = join(parent, "data");
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  const old = process.umask(0o022);
  try {
    const s = SqliteStore.open(dir);
    s.insert(s.createLog("a").id, [ev(1)]);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const f of ["logharbor.db", "logharbor.db-wal", "logharbor.db-shm"]) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
    s.close();
  } finally {
    process.umask(old);
    rmSync(parent, { recursive: true, force: true });
  }
});

test("API keys have a name, a role, an optional expiry and a last-used time; revoked, expired and rotated-out secrets are refused", () => {
  withStore((s) => {
    const admin = s.createApiKey({ readOnly: false, admin: true, name: "admin" });
    const ci = s.createApiKey({ readOnly: false, name: "ci", expiresAt: Date.now() + 60_000 });
    const old = s.createApiKey({ readOnly: true, name: "old", expiresAt: Date.now() - 1 });
    assert.equal(s.apiKeyBySecret(admin.secret)?.admin, true);
    assert.equal(s.apiKeyBySecret(ci.secret)?.name, "ci");
    assert.equal(s.apiKeyBySecret(old.secret), undefined, "expired");
    assert.throws(() => s.createApiKey({ readOnly: true, name: "ci" }), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_KEY_EXISTS");
    s.touchApiKey(ci.key.id, 1234);
    assert.equal(s.apiKey("ci")?.lastUsedAt, 1234);
    const rotated = s.rotateApiKey(ci.key.id);
    assert.equal(s.apiKeyBySecret(ci.secret), undefined, "the old secret is refused at once");
    assert.equal(s.apiKeyBySecret(rotated.secret)?.id, ci.key.id);
    assert.ok(s.revokeApiKey(ci.key.id).revokedAt !== undefined);
    assert.equal(s.apiKeyBySecret(rotated.secret), undefined, "revoked");
    assert.deepEqual(s.listApiKeys().map((k) => [k.name, k.revokedAt !== undefined]), [["admin", false], ["ci", true], ["old", false]]);
    assert.equal(JSON.stringify(s.listApiKeys()).includes("lhk_"), false, "no secret in the list");
  });
});
