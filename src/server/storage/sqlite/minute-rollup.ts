// The minute rollup: one small row per (minute, log, host, unit, priority) that holds how many events
// the store keeps there, the smallest and largest event id among them, and the names of the fields
// parsed from their messages. Written in the insert transaction (only for rows actually stored, so
// duplicates rejected by the dedupe index never count), decremented by a trigger when events are
// deleted. Queries use it three ways (rollup-queries.ts):
// - count / timeslice / groupby over host, unit, priority (and filters on those alone) read it
//   instead of the events: exact, a few thousand rows a day whatever the volume;
// - a time range becomes an id range for the full-text index (FTS5 rows are keyed by event id), so a
//   keyword search over part of the range reads only that part of the index;
// - a group none of whose events has a parsed field named in a comparison (or, for a comparison
//   with a number, none has a value in range: `nums` holds each field's numeric min and max) is
//   skipped, and so is a minute without such a group.
// ids and keys are bounds (a delete leaves them wider than the rows left): they prune, never decide.
import type Database from "better-sqlite3";
import type { ParsedFields } from "../message-fields.js";
import { numeric } from "./sql-functions.js";

export const MINUTE_US = 60_000_000;
/** host_key / unit_key / priority_key of an event without one (ids start at 1, priorities at 0). */
const NO_VALUE = -1;
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
 * Schema (a migration): the table (its index covers what counts read), the delete trigger, the id
 * bounds per minute and log alone (event_minute_ids: a keyword search reads a few rows a minute, not
 * one per group), and the rollup of the events already stored (their parsed field names unknown:
 * NULL keys never prune).
 */
export const MINUTE_ROLLUP_MIGRATION = `
  CREATE TABLE event_minutes (
    minute INTEGER NOT NULL,
    log INTEGER NOT NULL,
    host_key INTEGER NOT NULL,
    unit_key INTEGER NOT NULL,
    priority_key INTEGER NOT NULL,
    n INTEGER NOT NULL,
    min_id INTEGER NOT NULL,
    max_id INTEGER NOT NULL,
    keys TEXT,
    nums TEXT,
    host INTEGER GENERATED ALWAYS AS (nullif(host_key, ${NO_VALUE})) VIRTUAL,
    unit INTEGER GENERATED ALWAYS AS (nullif(unit_key, ${NO_VALUE})) VIRTUAL,
    priority INTEGER GENERATED ALWAYS AS (nullif(priority_key, ${NO_VALUE})) VIRTUAL,
    PRIMARY KEY (minute, log, host_key, unit_key, priority_key)
  ) WITHOUT ROWID;
  INSERT INTO event_minutes (minute, log, host_key, unit_key, priority_key, n, min_id, max_id, keys)
    SELECT ${minuteSql("ts")}, log, ifnull(host, ${NO_VALUE}), ifnull(unit, ${NO_VALUE}), ifnull(priority, ${NO_VALUE}), count(*), min(id), max(id), NULL
    FROM events GROUP BY 1, 2, 3, 4, 5;
  CREATE TABLE event_minute_ids (
    minute INTEGER NOT NULL,
    log INTEGER NOT NULL,
    min_id INTEGER NOT NULL,
    max_id INTEGER NOT NULL,
    PRIMARY KEY (minute, log)
  ) WITHOUT ROWID;
  INSERT INTO event_minute_ids (minute, log, min_id, max_id)
    SELECT minute, log, min(min_id), max(max_id) FROM event_minutes GROUP BY minute, log;
  CREATE TRIGGER event_minutes_delete AFTER DELETE ON events BEGIN
    UPDATE event_minutes SET n = n - 1
    WHERE minute = ${minuteSql("old.ts")} AND log = old.log AND host_key = ifnull(old.host, ${NO_VALUE})
      AND unit_key = ifnull(old.unit, ${NO_VALUE}) AND priority_key = ifnull(old.priority, ${NO_VALUE});
  END;
`;

/** Per parsed field name: the smallest and largest value that reads as a number, or null when none does. */
export type FieldRanges = Map<string, [number, number] | null>;

/** Keys as stored: "\n" + names joined by "\n" + "\n" (so instr(keys, '\nname\n') tests one); null = unknown. */
export function keysText(fields: FieldRanges | null): string | null {
  if (fields === null) return null;
  return fields.size === 0 ? "\n" : `\n${[...fields.keys()].join("\n")}\n`;
}

/** Numeric ranges as stored: {"name": [min, max]} for the names with numbers; null with unknown keys. */
export function numsText(fields: FieldRanges | null): string | null {
  if (fields === null) return null;
  const o: Record<string, [number, number]> = {};
  for (const [k, r] of fields) if (r !== null) o[k] = r;
  return JSON.stringify(o);
}

function readRanges(keys: string | null, nums: string | null): FieldRanges | null {
  if (keys === null) return null;
  const ranges = (nums === null ? {} : JSON.parse(nums)) as Record<string, [number, number]>;
  const out: FieldRanges = new Map();
  for (const k of keys.split("\n")) if (k !== "") out.set(k, Object.hasOwn(ranges, k) ? ranges[k]! : null);
  return out;
}

/** A group of a batch: host and unit by name, ids as positions in the batch's stored rows. */
interface BatchGroup {
  minute: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  n: number;
  /** The first and last of the group's rows (0 = the batch's first stored row). */
  lo: number;
  hi: number;
}

/** A group as the writer stores it, its parsed fields as keysText / numsText. */
export interface RollupGroup extends BatchGroup {
  keys: string | null;
  nums: string | null;
}

/** A batch's rollup: its groups, and per minute the first and last row (positions as in RollupGroup). */
export interface RollupSummary {
  groups: RollupGroup[];
  minutes: Array<[minute: number, lo: number, hi: number]>;
}

interface Group extends BatchGroup {
  fields: FieldRanges | null;
}

/**
 * Collects a batch's rows, in the order they are stored (positions 0, 1, ...), into its rollup
 * groups. Runs where the batch is prepared (prepared-batch.ts), before the writer has ids.
 */
export class RollupCollector {
  private readonly groups = new Map<string, Group>();
  private readonly minutes = new Map<number, [number, number, number]>();
  private last: Group | undefined;
  private pos = 0;

  /** Adds the next row. */
  add(tsUs: number, host: string | null, unit: string | null, priority: number | null, parsed: ParsedFields | undefined): void {
    const at = this.pos++;
    const minute = minuteOf(tsUs);
    let g = this.last;
    // Consecutive rows mostly fall in one group: compared directly, no key built.
    if (g === undefined || g.minute !== minute || g.host !== host || g.unit !== unit || g.priority !== priority) {
      // Host names come first with their length, so no two (host, unit) pairs share a key.
      const k = `${minute}|${priority}|${host === null ? -1 : host.length}|${host ?? ""}|${unit === null ? "-" : "+" + unit}`;
      g = this.groups.get(k);
      if (g === undefined) {
        g = { minute, host, unit, priority, n: 0, lo: at, hi: at, fields: new Map() };
        this.groups.set(k, g);
      }
      this.last = g;
    }
    g.n++;
    g.hi = at;
    const m = this.minutes.get(minute);
    if (m === undefined) this.minutes.set(minute, [minute, at, at]);
    else m[2] = at;
    if (parsed !== undefined && g.fields !== null) {
      for (const name in parsed) {
        const v = numeric(parsed[name]);
        if (!addField(g, name, v === null ? null : [v, v])) break;
      }
    }
  }

  summary(): RollupSummary {
    const groups: RollupGroup[] = [];
    for (const g of this.groups.values()) {
      groups.push({ minute: g.minute, host: g.host, unit: g.unit, priority: g.priority, n: g.n, lo: g.lo, hi: g.hi, keys: keysText(g.fields), nums: numsText(g.fields) });
    }
    return { groups, minutes: [...this.minutes.values()] };
  }
}

/** Adds a name (and its numeric range) to a group's fields; false when they became unknown. */
function addField(g: Pick<Group, "fields">, name: string, range: [number, number] | null): boolean {
  const fields = g.fields!;
  const cur = fields.get(name);
  if (cur === undefined) {
    // A name with a newline cannot be told apart in the stored text: the group's keys become unknown.
    if (fields.size >= MAX_ROLLUP_KEYS || name.includes("\n")) {
      g.fields = null;
      return false;
    }
    fields.set(name, range === null ? null : [range[0], range[1]]);
  } else if (range !== null) {
    if (cur === null) fields.set(name, [range[0], range[1]]);
    else {
      if (range[0] < cur[0]) cur[0] = range[0];
      if (range[1] > cur[1]) cur[1] = range[1];
    }
  }
  return true;
}

/** The union of two groups' fields (stored text), or null (unknown) when either is or when it grows too big. */
function mergeStored(keysA: string | null, numsA: string | null, keysB: string | null, numsB: string | null): FieldRanges | null {
  const a = readRanges(keysA, numsA);
  const b = readRanges(keysB, numsB);
  if (a === null || b === null) return null;
  const g = { fields: a } as Pick<Group, "fields">;
  for (const [name, range] of b) if (!addField(g, name, range)) break;
  return g.fields;
}

/**
 * Writes a batch's groups: one upsert each (the table is keyed by the group), the parsed field
 * names and ranges merged in SQL.
 */
export class MinuteRollup {
  private readonly upsert: Database.Statement;
  private readonly ids: Database.Statement;

  constructor(db: Database.Database) {
    const opts = { deterministic: true, varargs: false } as const;
    db.function("lh_rollup_keys", opts, (ka: unknown, na: unknown, kb: unknown, nb: unknown) =>
      keysText(mergeStored(ka as string | null, na as string | null, kb as string | null, nb as string | null)),
    );
    db.function("lh_rollup_nums", opts, (ka: unknown, na: unknown, kb: unknown, nb: unknown) =>
      numsText(mergeStored(ka as string | null, na as string | null, kb as string | null, nb as string | null)),
    );
    this.ids = db.prepare(
      "INSERT INTO event_minute_ids (minute, log, min_id, max_id) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (minute, log) DO UPDATE SET min_id = min(min_id, excluded.min_id), max_id = max(max_id, excluded.max_id)",
    );
    // SET expressions all read the row's old values.
    this.upsert = db.prepare(
      "INSERT INTO event_minutes (minute, log, host_key, unit_key, priority_key, n, min_id, max_id, keys, nums) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (minute, log, host_key, unit_key, priority_key) DO UPDATE SET " +
        "n = n + excluded.n, min_id = min(min_id, excluded.min_id), max_id = max(max_id, excluded.max_id), " +
        "keys = lh_rollup_keys(keys, nums, excluded.keys, excluded.nums), nums = lh_rollup_nums(keys, nums, excluded.keys, excluded.nums)",
    );
  }

  /**
   * Adds a batch's groups, its rows stored with ids first, first + 1, ... (call inside the insert
   * transaction); idOf gives the dictionary ids of host and unit names.
   */
  flush(log: number, batch: RollupSummary, first: number, hostId: (name: string | null) => number | null, unitId: (name: string | null) => number | null): void {
    for (const [minute, lo, hi] of batch.minutes) this.ids.run(minute, log, first + lo, first + hi);
    for (const g of batch.groups) {
      this.upsert.run(
        g.minute, log, hostId(g.host) ?? NO_VALUE, unitId(g.unit) ?? NO_VALUE, g.priority ?? NO_VALUE, g.n, first + g.lo, first + g.hi, g.keys, g.nums,
      );
    }
  }
}
