// The storage reference (step e), run as its own process by the bench: bare better-sqlite3 inserts of
// the bench journal's entries in large transactions, with no HTTP, parsing or dedupe in the way.
//   --variant fts: the messages into an FTS5 table alone (the full-text index's limit);
//   --variant row: a row per entry (time, host, unit, priority, identity, message, fields as JSON)
//                  with the store's indexes and an external-content FTS5 over message.
// Both use WAL and synchronous=FULL, as the store does. The entries are generated (same seed and
// window as the journal, so the same messages) before the clock starts. Prints one JSON line.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateEntries, fieldOf } from "../src/demo/generator.js";

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`sqlite-fts: --${name} is required`);
  return v;
}

const entries = Number(arg("entries"));
const seed = Number(arg("seed"));
const endUs = Number(arg("end-us"));
const spanUs = Number(arg("span-us"));
const hosts = Number(arg("hosts", "3"));
const variant = arg("variant", "fts");
const txRows = Number(arg("tx-rows", "10000"));
if (variant !== "fts" && variant !== "row") throw new Error(`sqlite-fts: --variant: expected fts or row, got ${variant}`);

interface Row {
  ts: number;
  host: string;
  unit: string;
  priority: number;
  ident: string;
  message: string;
  fields: string;
}

const rows: Row[] = [];
for (const e of generateEntries({ count: entries, seed, endUs, spanUs, hosts })) {
  const ts = Number(fieldOf(e, "__REALTIME_TIMESTAMP"));
  rows.push({
    ts,
    host: fieldOf(e, "_HOSTNAME") ?? "",
    unit: fieldOf(e, "_SYSTEMD_UNIT") ?? "",
    priority: Number(fieldOf(e, "PRIORITY") ?? 6),
    ident: `${fieldOf(e, "_BOOT_ID")}:${fieldOf(e, "__MONOTONIC_TIMESTAMP")}`,
    message: fieldOf(e, "MESSAGE") ?? "",
    fields: variant === "row" ? JSON.stringify(Object.fromEntries(e)) : "",
  });
}

const dir = mkdtempSync(join(tmpdir(), "logharbor-bench-sqlite-"));
const file = join(dir, "bench.db");
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.pragma("cache_size = -65536");
db.pragma("temp_store = MEMORY");

let insert: (r: Row) => void;
if (variant === "fts") {
  db.exec(`CREATE VIRTUAL TABLE messages USING fts5(message, tokenize='unicode61 remove_diacritics 2', columnsize=0)`);
  const st = db.prepare("INSERT INTO messages(message) VALUES (?)");
  insert = (r) => void st.run(r.message);
} else {
  db.exec(`
    CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    CREATE TABLE events (id INTEGER PRIMARY KEY, log INTEGER NOT NULL, ts INTEGER NOT NULL, host INTEGER,
      unit INTEGER, priority INTEGER, ident TEXT NOT NULL, message TEXT NOT NULL, fields TEXT NOT NULL);
    CREATE UNIQUE INDEX events_log_ident ON events(log, ident);
    CREATE INDEX events_log_ts ON events(log, ts);
    CREATE INDEX events_ts ON events(ts);
    CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='id',
      tokenize='unicode61 remove_diacritics 2', columnsize=0);
  `);
  const dict = (table: string): ((name: string) => number) => {
    const cache = new Map<string, number>();
    const get = db.prepare(`SELECT id FROM ${table} WHERE name = ?`).pluck();
    const put = db.prepare(`INSERT INTO ${table}(name) VALUES (?)`);
    return (name) => {
      let id = cache.get(name);
      if (id === undefined) {
        id = (get.get(name) as number | undefined) ?? Number(put.run(name).lastInsertRowid);
        cache.set(name, id);
      }
      return id;
    };
  };
  const hostId = dict("hosts");
  const unitId = dict("units");
  const ev = db.prepare("INSERT INTO events(log, ts, host, unit, priority, ident, message, fields) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
  const fts = db.prepare("INSERT INTO events_fts(rowid, message) VALUES (?, ?)");
  insert = (r) => {
    const id = ev.run(r.ts, hostId(r.host), unitId(r.unit), r.priority, r.ident, r.message, r.fields).lastInsertRowid;
    fts.run(id, r.message);
  };
}

const batch = db.transaction((slice: Row[]) => {
  for (const r of slice) insert(r);
});
const began = process.hrtime.bigint();
for (let i = 0; i < rows.length; i += txRows) batch(rows.slice(i, i + txRows));
db.pragma("wal_checkpoint(TRUNCATE)");
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
db.close();
const bytes = statSync(file).size;
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ variant, entries: rows.length, seconds, txRows, bytes }) + "\n");
