// A small name → id table (hosts, units) with an in-memory cache. Call reset() when a
// transaction that may have added names rolls back.
import type Database from "better-sqlite3";

export class Dictionary {
  private readonly cache = new Map<string, number>();
  private readonly select: Database.Statement<[string], { id: number }>;
  private readonly insert: Database.Statement<[string]>;

  constructor(db: Database.Database, table: "hosts" | "units") {
    this.select = db.prepare(`SELECT id FROM ${table} WHERE name = ?`);
    this.insert = db.prepare(`INSERT INTO ${table} (name) VALUES (?)`);
  }

  /** The id of a name, adding the name when new (inside the caller's transaction). */
  idOf(name: string | null): number | null {
    if (name === null) return null;
    let id = this.cache.get(name);
    if (id === undefined) {
      id = this.select.get(name)?.id ?? Number(this.insert.run(name).lastInsertRowid);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(name, id);
    }
    return id;
  }

  reset(): void {
    this.cache.clear();
  }
}
