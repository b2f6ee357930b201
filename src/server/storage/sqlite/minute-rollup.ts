// The minute rollup: one small row per (minute, log, host, unit, priority) that holds how many events
// the store keeps there, the smallest and largest event id among them, and the names of the fields
// parsed from their messages. Written in the insert transaction (only for rows actually stored, so
// duplicates rejected by the dedupe index never count), decremented by a trigger when events are
// deleted. Queries use it three ways (rollup-queries.ts):
// - count / timeslice / groupby over host, unit, priority (and filters on those alone) read it
//   instead of the events: exact, a few thousand rows a day whatever the volume;
// - a time range becomes an id range for the full-text index (FTS5 rows are keyed by event id), so a
//   keyword search over part of the range reads only that part of the index;
// - a minute in which no event has a parsed field named in a comparison is skipped.
// ids and keys are bounds (a delete leaves them wider than the rows left): they prune, never decide.
import type Database from "better-sqlite3";

export const MINUTE_US = 60_000_000;
/** Beyond this many distinct parsed field names in a group, its keys are "unknown" (NULL). */
export const MAX_ROLLUP_KEYS = 64;

/** The minute of a time in microseconds: floor(ts / 60 s), exact for every safe integer. */
export function minuteOf(tsUs: number): number {
  const r = tsUs % MINUTE_US;
  return (tsUs - (r < 0 ? r + MINUTE_US : r)) / MINUTE_US;
}

/** The same in SQL, for an integer expression `x`. */
export function minuteSql(x: string): string {
  return `((${x} - ((${x} % ${MINUTE_US}) + ${MINUTE_US}) % ${MINUTE_US}) / ${MINUTE_US})`;
}

/**
 * Schema (a migration): the table, its index, the delete trigger, and the rollup of the events
 * already stored (their parsed field names unknown: NULL keys never prune).
 */
export const MINUTE_ROLLUP_MIGRATION = `
  CREATE TABLE event_minutes (
    minute INTEGER NOT NULL,
    log INTEGER NOT NULL,
    host INTEGER,
    unit INTEGER,
    priority INTEGER,
    n INTEGER NOT NULL,
    min_id INTEGER NOT NULL,
    max_id INTEGER NOT NULL,
    keys TEXT
  );
  CREATE INDEX event_minutes_group ON event_minutes(minute, log, host, unit, priority);
  INSERT INTO event_minutes (minute, log, host, unit, priority, n, min_id, max_id, keys)
    SELECT ${minuteSql("ts")}, log, host, unit, priority, count(*), min(id), max(id), NULL
    FROM events GROUP BY 1, 2, 3, 4, 5;
  CREATE TRIGGER event_minutes_delete AFTER DELETE ON events BEGIN
    UPDATE event_minutes SET n = n - 1
    WHERE minute = ${minuteSql("old.ts")} AND log = old.log AND host IS old.host AND unit IS old.unit AND priority IS old.priority;
  END;
`;

/** Keys as stored: "\n" + names joined by "\n" + "\n" (so instr(keys, '\nname\n') tests one); null = unknown. */
export function keysText(names: Set<string> | null): string | null {
  if (names === null) return null;
  return names.size === 0 ? "\n" : `\n${[...names].join("\n")}\n`;
}

function keysSet(text: string | null): Set<string> | null {
  if (text === null) return null;
  return new Set(text.split("\n").filter((k) => k !== ""));
}

interface Group {
  minute: number;
  host: number | null;
  unit: number | null;
  priority: number | null;
  n: number;
  minId: number;
  maxId: number;
  keys: Set<string> | null;
}

/** Collects the rows of one insert transaction, then adds them to the rollup (flush, same transaction). */
export class RollupBatch {
  private readonly groups = new Map<string, Group>();

  add(tsUs: number, host: number | null, unit: number | null, priority: number | null, id: number, parsedKeys: readonly string[] | undefined): void {
    const minute = minuteOf(tsUs);
    const k = `${minute}|${host}|${unit}|${priority}`;
    let g = this.groups.get(k);
    if (g === undefined) {
      g = { minute, host, unit, priority, n: 0, minId: id, maxId: id, keys: new Set() };
      this.groups.set(k, g);
    }
    g.n++;
    if (id < g.minId) g.minId = id;
    if (id > g.maxId) g.maxId = id;
    if (parsedKeys !== undefined && g.keys !== null) addKeys(g, parsedKeys);
  }

  get size(): number {
    return this.groups.size;
  }

  groupsList(): IterableIterator<Group> {
    return this.groups.values();
  }
}

function addKeys(g: Group, names: readonly string[]): void {
  const keys = g.keys!;
  for (const name of names) {
    if (keys.has(name)) continue;
    // A name with a newline cannot be told apart in the stored text: the group's keys become unknown.
    if (keys.size >= MAX_ROLLUP_KEYS || name.includes("\n")) {
      g.keys = null;
      return;
    }
    keys.add(name);
  }
}

export class MinuteRollup {
  private readonly find: Database.Statement;
  private readonly update: Database.Statement;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database) {
    this.find = db.prepare(
      "SELECT rowid AS r, keys FROM event_minutes WHERE minute = ? AND log = ? AND host IS ? AND unit IS ? AND priority IS ?",
    );
    this.update = db.prepare("UPDATE event_minutes SET n = n + ?, min_id = min(min_id, ?), max_id = max(max_id, ?), keys = ? WHERE rowid = ?");
    this.insert = db.prepare(
      "INSERT INTO event_minutes (minute, log, host, unit, priority, n, min_id, max_id, keys) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  /** Adds a batch's groups; call inside the insert transaction. */
  flush(log: number, batch: RollupBatch): void {
    for (const g of batch.groupsList()) {
      const row = this.find.get(g.minute, log, g.host, g.unit, g.priority) as { r: number; keys: string | null } | undefined;
      if (row === undefined) {
        this.insert.run(g.minute, log, g.host, g.unit, g.priority, g.n, g.minId, g.maxId, keysText(g.keys));
        continue;
      }
      let keys: Set<string> | null = keysSet(row.keys);
      if (keys !== null && g.keys !== null) {
        const merged: Group = { ...g, keys };
        addKeys(merged, [...g.keys]);
        keys = merged.keys;
      } else {
        keys = null;
      }
      this.update.run(g.n, g.minId, g.maxId, keysText(keys), row.r);
    }
  }
}
