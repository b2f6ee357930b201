// Saved queries kept by the server (table saved_queries, migration 4). Names are unique; the API
// (src/server/api/saved-queries.ts) validates the query, times and logs before they get here.
import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { LogharborError } from "../../../core/errors.js";
import type { SavedQuery, SavedQueryInput } from "../store.js";

interface Row { id: string; name: string; q: string; range_from: string; range_to: string; logs: string; created_at: number; updated_at: number }

const COLUMNS = "id, name, q, range_from, range_to, logs, created_at, updated_at";

function toSaved(r: Row): SavedQuery {
  return { id: r.id, name: r.name, q: r.q, from: r.range_from, to: r.range_to, log: r.logs, createdAt: r.created_at, updatedAt: r.updated_at };
}

function nameTaken(name: string): LogharborError {
  return new LogharborError("LH_ERR_SAVED_QUERY_EXISTS", `name "${name}": a saved query with this name exists already; pick another name or update that one`, { status: 409 });
}

export class SavedQueries {
  private readonly st;

  constructor(db: Database.Database) {
    this.st = {
      all: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM saved_queries ORDER BY name COLLATE NOCASE, name`),
      byId: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM saved_queries WHERE id = ?`),
      byName: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM saved_queries WHERE name = ?`),
      insert: db.prepare("INSERT INTO saved_queries (id, name, q, range_from, range_to, logs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
      update: db.prepare("UPDATE saved_queries SET name = ?, q = ?, range_from = ?, range_to = ?, logs = ?, updated_at = ? WHERE id = ?"),
      delete: db.prepare<[string]>("DELETE FROM saved_queries WHERE id = ?"),
    };
  }

  list(): SavedQuery[] {
    return this.st.all.all().map(toSaved);
  }

  get(idOrName: string): SavedQuery | undefined {
    const r = this.st.byId.get(idOrName) ?? this.st.byName.get(idOrName);
    return r && toSaved(r);
  }

  create(input: SavedQueryInput, now = Date.now()): SavedQuery {
    if (this.st.byName.get(input.name)) throw nameTaken(input.name);
    const id = randomUUID();
    this.st.insert.run(id, input.name, input.q, input.from, input.to, input.log, now, now);
    return { id, ...input, createdAt: now, updatedAt: now };
  }

  update(id: string, input: SavedQueryInput, now = Date.now()): SavedQuery {
    const cur = this.st.byId.get(id);
    if (!cur) throw new LogharborError("LH_ERR_NOT_FOUND", `saved query "${id}": no such saved query; \`logharbor saved list\` (GET /api/v1/saved-queries) lists them`, { status: 404 });
    const other = this.st.byName.get(input.name);
    if (other && other.id !== id) throw nameTaken(input.name);
    this.st.update.run(input.name, input.q, input.from, input.to, input.log, now, id);
    return { id, ...input, createdAt: cur.created_at, updatedAt: now };
  }

  delete(id: string): boolean {
    return this.st.delete.run(id).changes > 0;
  }
}
