// Group keys of statistics as SQL returns them: dictionary ids (hosts, units) turned back into
// names, other values as plain numbers or strings.
import type Database from "better-sqlite3";

/** Dictionary names by id, each table read once per query. */
export class Names {
  private readonly cache = new Map<string, Map<number, string>>();
  constructor(private readonly db: Database.Database) {}
  name(table: "hosts" | "units", id: unknown): string | null {
    if (id === null || id === undefined) return null;
    let m = this.cache.get(table);
    if (!m) {
      m = new Map(this.db.prepare<[], { id: number; name: string }>(`SELECT id, name FROM ${table}`).all().map((r) => [r.id, r.name]));
      this.cache.set(table, m);
    }
    return m.get(Number(id)) ?? null;
  }
}

/** A group key value from SQL. */
export function key(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "bigint") return Number(v);
  return String(v);
}
