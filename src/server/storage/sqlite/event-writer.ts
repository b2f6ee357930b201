// Writes batches of events into the events, parsed-fields and FTS tables and the minute rollup: one
// transaction a batch, duplicates skipped by UNIQUE (log, ident) and left out of the rollup. Runs on whichever
// connection owns it: the store's own (sync insert) or the writer thread's (see writer-thread.ts).
import type Database from "better-sqlite3";
import type { InsertResult, NewEvent } from "../store.js";
import { parseMessageFields } from "../message-fields.js";
import { Dictionary } from "./dictionary.js";
import { MinuteRollup, RollupBatch } from "./minute-rollup.js";
import type { EventRow } from "./range-queries.js";

export interface WriteResult extends InsertResult {
  /** The stored rows (duplicates left out), only when asked for (live tail listeners). */
  rows?: EventRow[];
}

export class EventWriter {
  private readonly hosts: Dictionary;
  private readonly units: Dictionary;
  private readonly tx: (seq: number, events: NewEvent[], rows: EventRow[] | undefined) => InsertResult;

  constructor(db: Database.Database) {
    this.hosts = new Dictionary(db, "hosts");
    this.units = new Dictionary(db, "units");
    const insertEvent = db.prepare(
      "INSERT OR IGNORE INTO events (log, ts, host, unit, priority, ident, message, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const insertParsed = db.prepare("INSERT INTO event_parsed (id, parsed) VALUES (?, ?)");
    const insertFts = db.prepare("INSERT INTO events_fts (rowid, message) VALUES (?, ?)");
    const addCount = db.prepare("UPDATE logs SET events = events + ? WHERE seq = ?");
    const rollup = new MinuteRollup(db);
    this.tx = db.transaction((seq: number, events: NewEvent[], rows: EventRow[] | undefined): InsertResult => {
      let inserted = 0;
      const minutes = new RollupBatch();
      for (const ev of events) {
        const fields = parseMessageFields(ev.message);
        const parsed = fields === undefined ? null : JSON.stringify(fields);
        const host = this.hosts.idOf(ev.host);
        const unit = this.units.idOf(ev.unit);
        const r = insertEvent.run(seq, ev.tsUs, host, unit, ev.priority, ev.ident, ev.message, ev.fieldsJson);
        if (r.changes === 1) {
          const id = Number(r.lastInsertRowid);
          insertFts.run(id, ev.message);
          if (parsed !== null) insertParsed.run(id, parsed);
          minutes.add(ev.tsUs, host, unit, ev.priority, id, fields);
          inserted++;
          rows?.push({
            id, log: seq, ts: ev.tsUs, host: ev.host, unit: ev.unit, priority: ev.priority,
            message: ev.message, fields: ev.fieldsJson, parsed,
          });
        }
      }
      if (inserted > 0) {
        addCount.run(inserted, seq);
        rollup.flush(seq, minutes);
      }
      return { inserted, duplicates: events.length - inserted };
    });
  }

  /** Stores events into the log with this sequence number; committed (and fsynced) when it returns. */
  write(seq: number, events: NewEvent[], wantRows: boolean): WriteResult {
    const rows: EventRow[] | undefined = wantRows ? [] : undefined;
    try {
      const r: WriteResult = this.tx(seq, events, rows);
      if (rows) r.rows = rows;
      return r;
    } catch (e) {
      // Names added to the dictionaries in the rolled-back transaction are gone again.
      this.hosts.reset();
      this.units.reset();
      throw e;
    }
  }
}
