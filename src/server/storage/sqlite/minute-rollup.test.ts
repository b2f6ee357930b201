import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { matchesEvent } from "../../query/match.js";
import type { AggregateRow, AggregateSpec, NewEvent, Predicate, StoredEvent } from "../store.js";
import { MAX_ROLLUP_KEYS, MINUTE_US, minuteOf } from "./minute-rollup.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./schema.js";
import { DB_FILE, SqliteStore } from "./sqlite-store.js";
import { seededRandom } from "../../../../test/harness/fault.js";

const T0 = Date.UTC(2024, 0, 1) * 1000;
const HOSTS = ["web-1", "web-2", null];
const UNITS = ["nginx.service", "app.service", null];

/** Events over about two hours, out of time order within and across batches, some messages with parsed fields. */
function events(n: number, seed: number, prefix = "e"): NewEvent[] {
  const r = seededRandom(seed);
  const out: NewEvent[] = [];
  for (let i = 0; i < n; i++) {
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    const kind = r();
    const message =
      kind < 0.3 ? `GET /x status=${pick([200, 404, 500, 503])} ms=${Math.floor(r() * 100)}` :
      kind < 0.4 ? `{"req":{"method":"${pick(["GET", "POST"])}"},"status":${pick([200, 502])}}` :
      kind < 0.5 ? `upstream timed out after ${Math.floor(r() * 10)} s` :
      kind < 0.55 ? `job ${i} status=${pick(["exited", "running", "-3.5", " 12"])}` :
      `worker ${i} done ${pick(["ok", "fine", "timeout"])}`;
    out.push({
      ident: `${prefix}:${i}`,
      tsUs: T0 + Math.floor(r() * 2 * 3600e6),
      host: pick(HOSTS),
      unit: pick(UNITS),
      priority: pick([3, 4, 6, null]),
      message,
      fieldsJson: "{}",
    });
  }
  return out;
}

function withStore(fn: (s: SqliteStore, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "lh-rollup-"));
  const s = SqliteStore.open(dir);
  try {
    fn(s, dir);
  } finally {
    void s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withStoreAsync(fn: (s: SqliteStore, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lh-rollup-"));
  const s = SqliteStore.open(dir);
  try {
    await fn(s, dir);
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function allEvents(s: SqliteStore): StoredEvent[] {
  return [...s.iterateEvents({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, order: "asc" })];
}

/** The answer computed here from every stored event: count per group keys and bucket. */
function expected(all: StoredEvent[], from: number, to: number, spec: AggregateSpec, where?: Predicate, logId?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of all) {
    if (e.tsUs < from || e.tsUs >= to || (logId !== undefined && e.logId !== logId)) continue;
    if (where && !matchesEvent(where, e)) continue;
    const keys = spec.groupby.map((f) => (f === "_HOSTNAME" ? e.host : f === "_SYSTEMD_UNIT" ? e.unit : e.priority));
    const b = spec.bucket ? Math.floor((e.tsUs - spec.bucket.originUs) / spec.bucket.widthUs) : null;
    const k = JSON.stringify([keys, b]);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

function counts(rows: AggregateRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (r.count > 0) m.set(JSON.stringify([r.keys, r.bucket]), r.count);
  return m;
}

/** Ranges whose ends fall inside minutes, and buckets whose boundaries do. */
function cases(): Array<{ from: number; to: number; spec: AggregateSpec }> {
  const out: Array<{ from: number; to: number; spec: AggregateSpec }> = [];
  const ranges = [
    [T0, T0 + 2 * 3600e6],
    [T0 + 17_123_457, T0 + 5_000_000_003],
    [T0 + 59_999_999, T0 + 60_000_001],
    [T0 + 600e6, T0 + 600e6 + 30e6],
  ] as const;
  for (const [from, to] of ranges) {
    for (const groupby of [[], ["_HOSTNAME"], ["_SYSTEMD_UNIT", "PRIORITY"]]) {
      out.push({ from, to, spec: { groupby } });
      for (const widthUs of [60e6, 90e6, 7 * 60e6 + 13, Math.ceil((to - from) / 60)]) {
        out.push({ from, to, spec: { groupby, bucket: { originUs: from, widthUs } } });
      }
    }
  }
  return out;
}

test("count, groupby and timeslice by host, unit and priority from the minute rollup equal a count of the stored events", () => {
  withStore((s) => {
    const a = s.createLog("a");
    const b = s.createLog("b");
    const evs = events(3000, 1);
    for (let i = 0; i < evs.length; i += 500) s.insert(a.id, evs.slice(i, i + 500));
    s.insert(b.id, events(700, 2, "b"));
    const all = allEvents(s);
    const wheres: Array<Predicate | undefined> = [
      undefined,
      { kind: "field", field: "_HOSTNAME", op: "=", value: "web-1" },
      { kind: "not", item: { kind: "field", field: "PRIORITY", op: "<=", value: 4 } },
      { kind: "or", items: [{ kind: "exists", field: "_SYSTEMD_UNIT" }, { kind: "field", field: "_HOSTNAME", op: "in", value: ["web-2"] }] },
    ];
    let n = 0;
    for (const c of cases()) {
      for (const where of wheres) {
        for (const logIds of [[], [a.id]]) {
          const got = s.aggregate({ logIds, fromUs: c.from, toUs: c.to, ...(where ? { where } : {}) }, c.spec);
          const want = expected(all, c.from, c.to, c.spec, where, logIds[0]);
          assert.deepEqual(counts(got), want, `${JSON.stringify(c)} where ${JSON.stringify(where)} logs ${logIds.length}`);
          n++;
        }
      }
    }
    assert.ok(n > 100);
  });
});

test("the rollup counts only stored events: duplicates rejected by the log's identities never count", () => {
  withStore((s, dir) => {
    const a = s.createLog("a");
    const evs = events(1000, 3);
    assert.deepEqual(s.insert(a.id, evs.slice(0, 600)), { inserted: 600, duplicates: 0 });
    // A replay overlapping what is stored, and a batch holding the same identity twice.
    assert.deepEqual(s.insert(a.id, evs.slice(300, 1000)), { inserted: 400, duplicates: 300 });
    assert.deepEqual(s.insert(a.id, [evs[5]!, { ...evs[5]!, message: "other" }]), { inserted: 0, duplicates: 2 });
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    try {
      assert.equal(db.pragma("page_size", { simple: true }), 16384, "a new database has 16 KiB pages");
      assert.equal(db.prepare("SELECT sum(n) FROM event_minutes").pluck().get(), 1000);
      const byGroup = db.prepare(
        "SELECT r.n AS n, (SELECT count(*) FROM events e WHERE e.log = r.log AND e.host IS r.host AND e.unit IS r.unit AND e.priority IS r.priority " +
          "AND e.ts >= r.minute * 60000000 AND e.ts < (r.minute + 1) * 60000000) AS actual " +
          "FROM (SELECT minute, log, host, unit, priority, sum(n) AS n FROM event_minutes GROUP BY 1, 2, 3, 4, 5) r",
      ).all() as Array<{ n: number; actual: number }>;
      assert.ok(byGroup.length > 100);
      for (const g of byGroup) assert.equal(g.n, g.actual);
      const ids = db.prepare(
        "SELECT r.min_id AS lo, r.max_id AS hi, (SELECT min(id) FROM events e WHERE e.ts >= r.minute * 60000000 AND e.ts < (r.minute + 1) * 60000000) AS min, " +
          "(SELECT max(id) FROM events e WHERE e.ts >= r.minute * 60000000 AND e.ts < (r.minute + 1) * 60000000) AS max FROM event_minute_ids r",
      ).all() as Array<{ lo: number; hi: number; min: number; max: number }>;
      assert.ok(ids.length > 50);
      for (const r of ids) assert.deepEqual([r.lo, r.hi], [r.min, r.max]);
    } finally {
      db.close();
    }
    const total = s.aggregate({ logIds: [a.id], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER }, { groupby: [] });
    assert.equal(total[0]!.count, 1000);
  });
});

test("two connections writing the same minutes keep exact counts and every parsed field name", async () => {
  await withStoreAsync(async (s, dir) => {
    const a = s.createLog("a");
    const evs = events(1600, 8);
    // The same minutes and groups, alternately from the store's connection and the writer thread's.
    const sync = evs.slice(0, 800);
    const threaded = evs.slice(800).map((e, i) => (i % 50 === 0 ? { ...e, message: `late thing=${i} only_here=${i}` } : e));
    s.insert(a.id, sync.slice(0, 400));
    s.startWriterThread();
    await s.insertAsync(a.id, threaded.slice(0, 400));
    s.insert(a.id, sync.slice(400));
    await s.insertAsync(a.id, threaded.slice(400));
    const all = allEvents(s);
    assert.equal(all.length, 1600);
    for (const c of cases().slice(0, 20)) {
      assert.deepEqual(counts(s.aggregate({ logIds: [], fromUs: c.from, toUs: c.to }, c.spec)), expected(all, c.from, c.to, c.spec), JSON.stringify(c));
    }
    for (const where of [{ kind: "field", field: "only_here", op: ">=", value: 0 }, { kind: "exists", field: "thing" }] as Predicate[]) {
      const found = [...s.iterateEvents({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, where, order: "asc" })].length;
      assert.equal(found, all.filter((e) => matchesEvent(where, e)).length);
      assert.equal(found, 16);
    }
    const db = new Database(join(dir, DB_FILE));
    try {
      db.prepare("DELETE FROM events WHERE id % 3 = 0").run();
    } finally {
      db.close();
    }
    const left = allEvents(s);
    for (const c of cases().slice(0, 20)) {
      assert.deepEqual(counts(s.aggregate({ logIds: [], fromUs: c.from, toUs: c.to }, c.spec)), expected(left, c.from, c.to, c.spec), `after delete ${JSON.stringify(c)}`);
    }
  });
});

test("deleting events takes them out of the rollup's counts and deletes their parsed fields", () => {
  withStore((s, dir) => {
    const a = s.createLog("a");
    s.insert(a.id, events(1200, 4));
    const db = new Database(join(dir, DB_FILE));
    try {
      const gone = db.prepare("DELETE FROM events WHERE host = (SELECT id FROM hosts WHERE name = 'web-1') AND ts < ?").run(T0 + 3600e6).changes;
      assert.ok(gone > 50);
      assert.equal(db.prepare("SELECT count(*) FROM event_parsed WHERE id NOT IN (SELECT id FROM events)").pluck().get(), 0, "their parsed fields went with them");
    } finally {
      db.close();
    }
    const all = allEvents(s);
    for (const c of cases()) {
      assert.deepEqual(counts(s.aggregate({ logIds: [], fromUs: c.from, toUs: c.to }, c.spec)), expected(all, c.from, c.to, c.spec), JSON.stringify(c));
    }
  });
});

test("keyword and field queries over part of the range find exactly the matching events when time and insertion order differ", () => {
  withStore((s) => {
    const a = s.createLog("a");
    // Batches inserted newest first, each spread over the whole window: ids say nothing about time.
    const evs = events(2500, 5);
    for (let i = evs.length; i > 0; i -= 400) s.insert(a.id, evs.slice(Math.max(0, i - 400), i));
    // One group with more parsed field names than the rollup keeps (its keys become unknown).
    const wide = Object.fromEntries(Array.from({ length: MAX_ROLLUP_KEYS + 5 }, (_, i) => [`k${i}`, i]));
    s.insert(a.id, [{ ident: "wide", tsUs: T0 + 1234e6, host: "web-1", unit: "nginx.service", priority: 6, message: JSON.stringify({ ...wide, status: 599 }), fieldsJson: "{}" }]);
    const all = allEvents(s);
    const preds: Predicate[] = [
      { kind: "term", value: "timeout" },
      { kind: "phrase", value: "timed out" },
      { kind: "field", field: "status", op: ">=", value: 500 },
      { kind: "and", items: [{ kind: "field", field: "_SYSTEMD_UNIT", op: "=", value: "nginx.service" }, { kind: "field", field: "status", op: ">=", value: 500 }] },
      { kind: "and", items: [{ kind: "field", field: "_SYSTEMD_UNIT", op: "=", value: "app.service" }, { kind: "field", field: "req.method", op: "=", value: "POST" }] },
      { kind: "or", items: [{ kind: "term", value: "fine" }, { kind: "field", field: "k3", op: "=", value: 3 }] },
      { kind: "field", field: "status", op: "!=", value: 200 },
      { kind: "field", field: "status", op: ">", value: 503 },
      { kind: "field", field: "status", op: "=", value: 404 },
      { kind: "field", field: "status", op: "=", value: "exited" },
      { kind: "field", field: "ms", op: "<", value: 3 },
      { kind: "field", field: "ms", op: "<=", value: 0 },
      { kind: "field", field: "status", op: "in", value: [502, "exited"] },
      { kind: "field", field: "status", op: ">=", value: 600 },
      { kind: "not", item: { kind: "exists", field: "ms" } },
    ];
    const ranges = [[T0, T0 + 2 * 3600e6], [T0 + 1000e6, T0 + 1300e6], [T0 + 3_333_333_333, T0 + 3_999_999_999]] as const;
    for (const where of preds) {
      for (const [from, to] of ranges) {
        const want = all.filter((e) => e.tsUs >= from && e.tsUs < to && matchesEvent(where, e)).map((e) => e.id).sort((x, y) => x - y);
        const desc = [...s.iterateEvents({ logIds: [], fromUs: from, toUs: to, where, order: "desc" })];
        assert.deepEqual(desc.map((e) => e.id).sort((x, y) => x - y), want, `events ${JSON.stringify(where)} ${from}..${to}`);
        for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1]!.tsUs >= desc[i]!.tsUs, "newest first across the scanned parts");
        const spec: AggregateSpec = { groupby: ["_HOSTNAME"], bucket: { originUs: from, widthUs: Math.ceil((to - from) / 7) } };
        assert.deepEqual(counts(s.aggregate({ logIds: [], fromUs: from, toUs: to, where }, spec)), expected(all, from, to, spec, where), `aggregate ${JSON.stringify(where)}`);
        const values = [...s.iterateValues({ logIds: [], fromUs: from, toUs: to, where }, { groupby: [] })];
        assert.equal(values.length, want.length, `values ${JSON.stringify(where)}`);
      }
    }
  });
});

for (const version of [3, 4]) test(`a database of schema version ${version} is upgraded: the rollup is built from the events it holds, parsed fields move to their own table, and both are kept from then on`, () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-rollup-migrate-"));
  try {
    const file = join(dir, DB_FILE);
    // The store as an earlier logharbor wrote it: its migrations and some events.
    const old = new Database(file);
    old.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    for (const m of MIGRATIONS.slice(0, version)) old.exec(m);
    old.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version);
    old.prepare("INSERT INTO logs (id, name, token, created_at) VALUES ('L1', 'old', 'T1', 0)").run();
    old.prepare("INSERT INTO hosts (name) VALUES ('web-1')").run();
    const ins = old.prepare("INSERT INTO events (log, ts, host, unit, priority, ident, message, fields, parsed) VALUES (1, ?, ?, NULL, ?, ?, ?, '{}', ?)");
    const fts = old.prepare("INSERT INTO events_fts (rowid, message) VALUES (?, ?)");
    for (let i = 0; i < 500; i++) {
      const message = `old ${i} status=${i % 7 === 0 ? 500 : 200}`;
      const id = ins.run(T0 + i * 7_777_777 - 3600e6, i % 3 === 0 ? null : 1, i % 4 === 0 ? null : 6, `o:${i}`, message, JSON.stringify({ status: i % 7 === 0 ? 500 : 200 })).lastInsertRowid;
      fts.run(id, message);
    }
    old.prepare("UPDATE logs SET events = 500").run();
    old.close();

    const s = new SqliteStore(file);
    try {
      const v = new Database(file, { readonly: true });
      assert.equal(v.prepare("SELECT version FROM schema_version").pluck().get(), SCHEMA_VERSION);
      assert.equal(v.prepare("SELECT sum(n) FROM event_minutes").pluck().get(), 500);
      assert.equal(v.prepare("SELECT count(*) FROM event_minutes WHERE keys IS NOT NULL").pluck().get(), 0, "old rows' parsed field names are unknown");
      assert.equal(v.prepare("SELECT count(*) FROM event_parsed").pluck().get(), 500, "parsed fields moved to their own table");
      assert.equal(v.pragma("page_size", { simple: true }), 4096, "an existing database keeps its page size");
      assert.equal(v.prepare("SELECT v FROM events_fts_config WHERE k = 'automerge'").pluck().get(), 8);
      assert.ok(!(v.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[]).includes("parsed"));
      v.close();
      const log = s.logByName("old")!;
      s.insert(log.id, events(800, 6));
      const all = allEvents(s);
      assert.equal(all.length, 1300);
      for (const c of cases()) {
        const from = c.from - 3600e6;
        const spec: AggregateSpec = c.spec.bucket ? { ...c.spec, bucket: { ...c.spec.bucket, originUs: from } } : c.spec;
        assert.deepEqual(counts(s.aggregate({ logIds: [], fromUs: from, toUs: c.to }, spec)), expected(all, from, c.to, spec), JSON.stringify(c));
      }
      // Old events have unknown keys, so a parsed-field comparison still finds them.
      const where: Predicate = { kind: "field", field: "status", op: ">=", value: 500 };
      const found = [...s.iterateEvents({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, where, order: "asc" })].length;
      assert.equal(found, all.filter((e) => matchesEvent(where, e)).length);
      assert.ok(found > 70);
    } finally {
      void s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("minuteOf floors to the minute for times before and after the epoch", () => {
  assert.equal(minuteOf(0), 0);
  assert.equal(minuteOf(MINUTE_US - 1), 0);
  assert.equal(minuteOf(MINUTE_US), 1);
  assert.equal(minuteOf(-1), -1);
  assert.equal(minuteOf(-MINUTE_US), -1);
  assert.equal(minuteOf(-MINUTE_US - 1), -2);
  assert.equal(minuteOf(T0 + 123), T0 / MINUTE_US);
});

test("after retention deletes the oldest events, counts from the rollup still equal a count of the events left", async () => {
  await withStoreAsync(async (s, dir) => {
    const a = s.createLog("a");
    const evs = events(3000, 3);
    for (let i = 0; i < evs.length; i += 500) s.insert(a.id, evs.slice(i, i + 500));
    // Cut inside a minute, 50 minutes in: some of that minute's events go, some stay.
    const cut = T0 + 50 * MINUTE_US + 12_345_678;
    let deleted = 0;
    for (let n = -1; n !== 0; deleted += n) n = await s.prune(a.id, cut, 97);
    assert.equal(deleted, evs.filter((e) => e.tsUs < cut).length);
    const all = allEvents(s);
    assert.ok(all.every((e) => e.tsUs >= cut));
    for (const c of cases()) assert.deepEqual(counts(s.aggregate({ logIds: [], fromUs: c.from, toUs: c.to }, c.spec)), expected(all, c.from, c.to, c.spec), JSON.stringify(c));
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    try {
      assert.equal(db.prepare("SELECT count(*) FROM event_minutes WHERE n <= 0").pluck().get(), 0, "no empty group is left");
      assert.equal(db.prepare("SELECT count(*) FROM event_minute_ids WHERE minute < ?").pluck().get(minuteOf(cut)), 0, "no id bounds of emptied minutes");
    } finally {
      db.close();
    }
  });
});
