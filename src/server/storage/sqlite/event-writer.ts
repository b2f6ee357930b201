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
import { LogharborError } from "../../../core/errors.js";
import type { InsertResult } from "../store.js";
import { Dictionary } from "./dictionary.js";
import { MinuteRollup } from "./minute-rollup.js";
import { forEachRow, keepRows, type PackedBatch } from "./prepared-batch.js";

/** Rows per INSERT statement: 8 columns x 64 = 512 bound values (SQLite allows 32766). */
const CHUNK = 64;
const COLUMNS = 8;

export interface WriteResult extends InsertResult {
  /** The id of the batch's first stored row; the others follow it in order. */
  first: number;
  /** When some rows were duplicates: the positions in the batch of the rows stored (ascending). */
  kept?: number[];
}

export class EventWriter {
  private readonly hosts: Dictionary;
  private readonly units: Dictionary;
  private readonly tx: (b: PackedBatch) => WriteResult;
  /** Multi-row INSERT statements by row count, prepared when first needed. */
  private readonly inserts = new Map<number, Database.Statement>();
  private readonly parsedInserts = new Map<number, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.hosts = new Dictionary(db, "hosts");
    this.units = new Dictionary(db, "units");
    // As a bigint: ids beyond 2^53 must not compare equal by rounding.
    const maxId = db.prepare("SELECT ifnull(max(id), 0) FROM events").pluck().safeIntegers(true);
    const storedIdents = db.prepare("SELECT ident FROM events WHERE id >= ? ORDER BY id").pluck();
    const insertFts = db.prepare("INSERT INTO events_fts (rowid, message) SELECT id, message FROM events WHERE id >= ?");
    const addCount = db.prepare("UPDATE logs SET events = events + ? WHERE seq = ?");
    const rollup = new MinuteRollup(db);
    const hostId = (name: string | null) => this.hosts.idOf(name);
    const unitId = (name: string | null) => this.units.idOf(name);
    const run = db.transaction((b: PackedBatch): WriteResult => {
      const before = maxId.get() as bigint;
      const { inserted, parsed } = this.insertRows(b);
      // Every id below depends on this; checked rather than assumed (one index lookup a batch).
      const last = maxId.get() as bigint;
      if (last !== before + BigInt(inserted) || last > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new LogharborError("LH_ERR_INTERNAL", `store: a batch of ${inserted} rows did not get the ids after ${before} (the largest is now ${last}); batch rolled back`, { status: 500 });
      }
      const first = Number(before) + 1;
      let stored = b;
      let storedParsed = parsed;
      let kept: number[] | undefined;
      if (inserted < b.count) {
        kept = keptPositions(b, storedIdents.all(first) as string[]);
        stored = keepRows(b, kept);
        storedParsed = parsedAt(parsed, kept);
      }
      if (inserted > 0) {
        insertFts.run(first);
        this.insertParsed(storedParsed, first);
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
  write(b: PackedBatch): WriteResult {
    try {
      return this.tx(b);
    } catch (e) {
      // Names added to the dictionaries in the rolled-back transaction are gone again.
      this.hosts.reset();
      this.units.reset();
      throw e;
    }
  }

  /**
   * INSERT OR IGNORE of every row, CHUNK at a time; returns how many were stored, and each row's
   * parsed fields (JSON or null) read on the way.
   */
  private insertRows(b: PackedBatch): { inserted: number; parsed: Array<string | null> } {
    const parsed = new Array<string | null>(b.count);
    let inserted = 0;
    let args: Array<string | number | null> = [];
    const flush = () => {
      inserted += this.statement(this.inserts, args.length / COLUMNS, "INSERT OR IGNORE INTO events (log, ts, host, unit, priority, ident, message, fields) VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?)").run(args).changes;
      args = [];
    };
    forEachRow(b, (r, i) => {
      args.push(b.seq, r.ts, this.hosts.idOf(r.host), this.units.idOf(r.unit), r.priority, r.ident, r.message, r.fields);
      parsed[i] = r.parsed;
      if (args.length === CHUNK * COLUMNS) flush();
    });
    if (args.length > 0) flush();
    return { inserted, parsed };
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
function keptPositions(b: PackedBatch, stored: readonly string[]): number[] {
  const kept: number[] = [];
  let s = 0;
  forEachRow(b, (r, i) => {
    if (s < stored.length && r.ident === stored[s]) {
      kept.push(i);
      s++;
    }
  });
  return kept;
}

function parsedAt(parsed: ReadonlyArray<string | null>, at: readonly number[]): Array<string | null> {
  return at.map((i) => parsed[i]!);
}
