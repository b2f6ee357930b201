// The end of every fault test: the store compared with the journal, entry by entry. Reads the
// server's SQLite file directly (read-only, WAL lets it run beside the server) and the journal with
// the real journalctl; an entry is matched by its journal identity (what the server dedupes on)
// and its MESSAGE must be the same.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { parseExport } from "../../src/core/journal/export-parser.js";
import { journalIdentity } from "../../src/core/journal/cursor.js";

export interface JournalRow {
  ident: string;
  cursor: string;
  message: string;
  seq: string | undefined;
}

/** Every entry of a journal directory, in journal order. */
export function journalRows(dir: string): JournalRow[] {
  const r = spawnSync("journalctl", [`--directory=${dir}`, "--merge", "--output=export", "--no-pager"], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`journalctl failed: ${r.stderr.toString()}`);
  return parseExport(r.stdout).map((e) => ({ ident: journalIdentity(e)!, cursor: e.cursor!, message: e.get("MESSAGE") ?? "", seq: e.get("SEQ") }));
}

export interface StoreRow {
  ident: string;
  message: string;
}

/** Every event the store holds for a log (by name). */
export function storeRows(dataDir: string, log: string): StoreRow[] {
  const db = new Database(join(dataDir, "logharbor.db"), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string], StoreRow>("SELECT e.ident AS ident, e.message AS message FROM events e JOIN logs l ON l.seq = e.log WHERE l.name = ? ORDER BY e.id")
      .all(log);
  } finally {
    db.close();
  }
}

export interface Comparison {
  expected: number;
  stored: number;
  missing: JournalRow[];
  /** Stored more than once (the unique index forbids it; checked anyway), or not in the journal. */
  duplicated: string[];
  unexpected: string[];
  /** Same identity, different message. */
  altered: string[];
}

/** Compares the store with the expected journal entries, entry by entry. */
export function compareStore(expected: JournalRow[], stored: StoreRow[]): Comparison {
  const byIdent = new Map<string, StoreRow[]>();
  for (const s of stored) {
    const l = byIdent.get(s.ident);
    if (l) l.push(s);
    else byIdent.set(s.ident, [s]);
  }
  const want = new Set(expected.map((e) => e.ident));
  const c: Comparison = { expected: expected.length, stored: stored.length, missing: [], duplicated: [], unexpected: [], altered: [] };
  for (const e of expected) {
    const got = byIdent.get(e.ident);
    if (got === undefined) c.missing.push(e);
    else if (got[0]!.message !== e.message) c.altered.push(e.ident);
  }
  for (const [ident, rows] of byIdent) {
    if (rows.length > 1) c.duplicated.push(ident);
    if (!want.has(ident)) c.unexpected.push(ident);
  }
  return c;
}

/** A one-line summary for assertion messages. */
export function describeComparison(c: Comparison): string {
  return `expected ${c.expected}, stored ${c.stored}; missing ${c.missing.length}${c.missing.length ? ` (first SEQ ${c.missing[0]!.seq})` : ""}, duplicated ${c.duplicated.length}, unexpected ${c.unexpected.length}, altered ${c.altered.length}`;
}

export function isExact(c: Comparison): boolean {
  return c.missing.length === 0 && c.duplicated.length === 0 && c.unexpected.length === 0 && c.altered.length === 0 && c.stored === c.expected;
}
