// Writes prepared batches (prepared-batch.ts) into the events, parsed-fields and FTS tables and the
// minute rollup: one transaction a batch, duplicates skipped by the dedupe index and left out of the
// rollup. Runs on whichever connection owns it: the store's own (sync insert) or the writer thread's
// (see writer-thread.ts).
//
// Few calls into SQLite per row, because each costs about a microsecond (measured,
// bench/store-insert.ts): the rows go in as multi-row INSERTs of up to CHUNK rows, and the
// full-text index is filled by one INSERT ... SELECT of the rows just written. Rows get the ids
// max(id) + 1, + 2, ... in order (an INTEGER PRIMARY KEY, and the transaction holds the write lock
// from its start), so the writer knows every id without asking for each.
import type Database from "better-sqlite3";
import type { InsertResult } from "../store.js";
import { Dictionary } from "./dictionary.js";
import { MinuteRollup } from "./minute-rollup.js";
import { COL_HOST, COL_IDENT, COL_UNIT, keepRows, ROW_WIDTH, type PreparedBatch } from "./prepared-batch.js";

/** Rows per INSERT statement: 8 columns x 64 = 512 bound values (SQLite allows 32766). */
const CHUNK = 64;

export interface WriteResult extends InsertResult {
  /** The id of the batch's first stored row; the others follow it in order. */
  first: number;
  /** When some rows were duplicates: the positions in the batch of the rows stored (ascending). */
  kept?: number[];
}

export class EventWriter {
  private readonly hosts: Dictionary;
  private readonly units: Dictionary;
  private readonly tx: (b: PreparedBatch) => WriteResult;
  /** Multi-row INSERT statements by row count, prepared when first needed. */
  private readonly inserts = new Map<number, Database.Statement>();
  private readonly parsedInserts = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.hosts = new Dictionary(db, "hosts");
    this.units = new Dictionary(db, "units");
    const maxId = db.prepare("SELECT ifnull(max(id), 0) FROM events").pluck();
    const storedIdents = db.prepare("SELECT ident FROM events WHERE id >= ? ORDER BY id").pluck();
    const insertFts = db.prepare("INSERT INTO events_fts (rowid, message) SELECT id, message FROM events WHERE id >= ?");
    const addCount = db.prepare("UPDATE logs SET events = events + ? WHERE seq = ?");
    const rollup = new MinuteRollup(db);
    const hostId = (name: string | null) => this.hosts.idOf(name);
    const unitId = (name: string | null) => this.units.idOf(name);
    const run = db.transaction((b: PreparedBatch): WriteResult => {
      const first = (maxId.get() as number) + 1;
      const inserted = this.insertRows(b.rows, b.count);
      let stored = b;
      let kept: number[] | undefined;
      if (inserted < b.count) {
        kept = keptPositions(b, storedIdents.all(first) as string[]);
        stored = keepRows(b, kept);
      }
      if (inserted > 0) {
        insertFts.run(first);
        this.insertParsed(stored.parsed, first);
        addCount.run(inserted, b.seq);
        rollup.flush(b.seq, stored.rollup, first, hostId, unitId);
      }
      const r: WriteResult = { inserted, duplicates: b.count - inserted, first };
      if (kept) r.kept = kept;
      return r;
    });
    // IMMEDIATE: the write lock from the start, so max(id) read first stays the last id until commit.
    this.tx = run.immediate;
  }

  /** Stores a prepared batch; committed (and fsynced) when it returns. */
  write(b: PreparedBatch): WriteResult {
    try {
      return this.tx(b);
    } catch (e) {
      // Names added to the dictionaries in the rolled-back transaction are gone again.
      this.hosts.reset();
      this.units.reset();
      throw e;
    }
  }

  /** INSERT OR IGNORE of every row, CHUNK at a time; returns how many were stored. */
  private insertRows(rows: PreparedBatch["rows"], count: number): number {
    let changes = 0;
    for (let at = 0; at < count; at += CHUNK) {
      const k = Math.min(CHUNK, count - at);
      const args = rows.slice(at * ROW_WIDTH, (at + k) * ROW_WIDTH);
      for (let o = 0; o < args.length; o += ROW_WIDTH) {
        args[o + COL_HOST] = this.hosts.idOf(args[o + COL_HOST] as string | null);
        args[o + COL_UNIT] = this.units.idOf(args[o + COL_UNIT] as string | null);
      }
      changes += this.statement(this.inserts, k, "INSERT OR IGNORE INTO events (log, ts, host, unit, priority, ident, message, fields) VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?)").run(args).changes;
    }
    return changes;
  }

  /** The parsed fields of the stored rows (ids first, first + 1, ...), CHUNK rows a statement. */
  private insertParsed(parsed: ReadonlyArray<string | null>, first: number): void {
    const args: Array<string | number> = [];
    const flush = () => {
      this.statement(this.parsedInserts, args.length / 2, "INSERT INTO event_parsed (id, parsed) VALUES ", "(?, ?)").run(args);
      args.length = 0;
    };
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i];
      if (p === null || p === undefined) continue;
      args.push(first + i, p);
      if (args.length === CHUNK * 2) flush();
    }
    if (args.length > 0) flush();
  }

  private statement(cache: Map<number, Database.Statement>, rows: number, head: string, tuple: string): Database.Statement {
    let s = cache.get(rows);
    if (s === undefined) {
      s = this.db.prepare(head + new Array<string>(rows).fill(tuple).join(", "));
      cache.set(rows, s);
    }
    return s;
  }
}

/**
 * Which rows of the batch were stored, given the idents of the rows stored (in id order): the
 * rows went in in batch order, so a walk matches them. A row without identity ("") is always stored.
 */
function keptPositions(b: PreparedBatch, stored: readonly string[]): number[] {
  const kept: number[] = [];
  let s = 0;
  for (let i = 0; i < b.count && s < stored.length; i++) {
    if (b.rows[i * ROW_WIDTH + COL_IDENT] === stored[s]) {
      kept.push(i);
      s++;
    }
  }
  return kept;
}
