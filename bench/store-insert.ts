// The store's insert cost per row, beside bare better-sqlite3 references, all in one process on the
// same entries (generated journal entries, as the other benches use), so the ratios hold however
// busy the machine is:
//   bare-fts     the messages into a table + external-content FTS5 (issue 4's reference);
//   bare-row     a store-shaped row (time, host, unit, priority, identity, message, fields JSON) with
//                the store's indexes and FTS5 (bench/sqlite-fts.ts --variant row);
//   store-journal SqliteStore.insert of the entries as journal ingest makes them (journalEntryToEvent);
//   store-lines   SqliteStore.insert of the messages as token TCP makes them (lineEvent).
// Every variant uses WAL and synchronous=FULL, in transactions of --tx rows; the order of the
// variants rotates between rounds, and the best round of each is reported.
//   node --import tsx bench/store-insert.ts [--entries 200000] [--rounds 3] [--tx 10000]
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { encodeExportEntry } from "../src/core/journal/export-encoder.js";
import { ExportParser } from "../src/core/journal/export-parser.js";
import { generateEntries } from "../src/demo/generator.js";
import { lineEvent } from "../src/server/ingest/common/line-event.js";
import { journalEntryToEvent } from "../src/server/ingest/journal/to-event.js";
import { applyPragmas } from "../src/server/storage/sqlite/schema.js";
import { DB_FILE, SqliteStore } from "../src/server/storage/sqlite/sqlite-store.js";
import type { NewEvent } from "../src/server/storage/store.js";
import { bareFtsTransaction } from "./lib/bare-fts.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1] ?? "";
  if (!/^[1-9]\d*$/.test(v)) {
    process.stderr.write(`bench/store-insert: --${name}: expected an integer >= 1, got "${v}"\nusage: node --import tsx bench/store-insert.ts [--entries N] [--rounds N] [--tx N]\n`);
    process.exit(2);
  }
  return Number(v);
}

const entries = arg("entries", 200_000);
const rounds = arg("rounds", 3);
const txRows = arg("tx", 10_000);
const endUs = Date.UTC(2024, 5, 1) * 1000;

const journal: NewEvent[] = [];
const parser = new ExportParser();
for (const fields of generateEntries({ count: entries, seed: 1, endUs, spanUs: 24 * 3600e6 })) {
  for (const e of parser.push(encodeExportEntry(fields))) journal.push(journalEntryToEvent(e));
}
for (const e of parser.end()) journal.push(journalEntryToEvent(e));
const lines = journal.map((e) => lineEvent({ message: e.message, host: "127.0.0.1", transport: "token-tcp" }));

interface Result { seconds: number; bytes: number }

function inDir(fn: (dir: string) => number): Result {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-insert-"));
  try {
    const seconds = fn(dir);
    return { seconds, bytes: statSync(join(dir, DB_FILE)).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timed(db: Database.Database, insertAll: () => void): number {
  const t = performance.now();
  insertAll();
  db.pragma("wal_checkpoint(TRUNCATE)");
  return (performance.now() - t) / 1000;
}

function bareFts(dir: string): number {
  const db = new Database(join(dir, DB_FILE));
  applyPragmas(db);
  const tx = bareFtsTransaction(db, (e: NewEvent) => e.message);
  const s = timed(db, () => {
    for (let i = 0; i < journal.length; i += txRows) tx(journal.slice(i, i + txRows));
  });
  db.close();
  return s;
}

function bareRow(dir: string): number {
  const db = new Database(join(dir, DB_FILE));
  applyPragmas(db);
  db.exec(`
    CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE events (id INTEGER PRIMARY KEY, log INTEGER NOT NULL, ts INTEGER NOT NULL, host INTEGER,
      unit INTEGER, priority INTEGER, ident TEXT NOT NULL, message TEXT NOT NULL, fields TEXT NOT NULL);
    CREATE UNIQUE INDEX events_log_ident ON events(log, ident);
    CREATE INDEX events_log_ts ON events(log, ts);
    CREATE INDEX events_ts ON events(ts, host, unit, priority, log);
    CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='id',
      tokenize='unicode61 remove_diacritics 2', columnsize=0);
  `);
  const dict = (table: string): ((name: string | null) => number | null) => {
    const cache = new Map<string, number>();
    const put = db.prepare(`INSERT INTO ${table}(name) VALUES (?)`);
    return (name) => {
      if (name === null) return null;
      let id = cache.get(name);
      if (id === undefined) cache.set(name, (id = Number(put.run(name).lastInsertRowid)));
      return id;
    };
  };
  const hostId = dict("hosts");
  const unitId = dict("units");
  const ev = db.prepare("INSERT INTO events(log, ts, host, unit, priority, ident, message, fields) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
  const fts = db.prepare("INSERT INTO events_fts(rowid, message) VALUES (?, ?)");
  const tx = db.transaction((batch: NewEvent[]) => {
    for (const e of batch) fts.run(ev.run(e.tsUs, hostId(e.host), unitId(e.unit), e.priority, e.ident, e.message, e.fieldsJson).lastInsertRowid, e.message);
  });
  const s = timed(db, () => {
    for (let i = 0; i < journal.length; i += txRows) tx(journal.slice(i, i + txRows));
  });
  db.close();
  return s;
}

function store(events: NewEvent[]): (dir: string) => number {
  return (dir) => {
    const st = SqliteStore.open(dir);
    const log = st.createLog("bench");
    const t = performance.now();
    for (let i = 0; i < events.length; i += txRows) st.insert(log.id, events.slice(i, i + txRows));
    const db = new Database(join(dir, DB_FILE));
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const s = (performance.now() - t) / 1000;
    void st.close();
    return s;
  };
}

const variants: Array<[string, (dir: string) => number]> = [
  ["bare-fts", bareFts],
  ["bare-row", bareRow],
  ["store-journal", store(journal)],
  ["store-lines", store(lines)],
];
const best = new Map<string, Result>();
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < variants.length; i++) {
    const [name, fn] = variants[(i + r) % variants.length]!;
    const res = inDir(fn);
    const prev = best.get(name);
    if (prev === undefined || res.seconds < prev.seconds) best.set(name, res);
  }
}
const ref = entries / best.get("bare-fts")!.seconds;
process.stdout.write(`bench/store-insert: ${entries} generated journal entries, transactions of ${txRows}, best of ${rounds} rounds (machine shared: compare ratios)\n`);
for (const [name] of variants) {
  const res = best.get(name)!;
  const rate = entries / res.seconds;
  process.stdout.write(
    `${name.padEnd(14)} ${Math.round(rate).toString().padStart(7)} rows/s  ${(rate / ref).toFixed(2)}x bare-fts  ${Math.round(res.bytes / entries)} bytes/row\n`,
  );
}
