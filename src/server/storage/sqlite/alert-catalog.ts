// The alerts' catalog in SQLite (tables alerts, alert_state, alert_history, alert_outbox; migration
// ALERTS_MIGRATION). Definitions are kept as JSON beside their name, so a new trigger option needs no
// migration. History is capped per alert (the newest HISTORY_KEPT entries stay).
import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { LogharborError } from "../../../core/errors.js";
import type { AlertCatalog } from "../../alerts/catalog.js";
import type { AlertDef, AlertInput, AlertState, HistoryEntry, PendingDelivery } from "../../alerts/model.js";

export const ALERTS_MIGRATION = `
  CREATE TABLE alerts (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, def TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE alert_state (id TEXT PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE, state TEXT NOT NULL);
  CREATE TABLE alert_history (seq INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
  CREATE INDEX alert_history_alert ON alert_history(alert_id, seq);
  CREATE TABLE alert_outbox (
    id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL, content_type TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL
  );
  CREATE INDEX alert_outbox_due ON alert_outbox(next_attempt);
`;

/** History entries kept per alert; older ones are dropped as new ones come. */
export const HISTORY_KEPT = 10_000;

interface AlertRow { id: string; name: string; def: string; created_at: number }
interface OutboxRow { id: number; alert_id: string; created_at: number; attempts: number; next_attempt: number; content_type: string; body: string; state: string }

function toDef(r: AlertRow): AlertDef {
  return { ...(JSON.parse(r.def) as AlertInput), id: r.id, name: r.name, createdAt: r.created_at };
}

function toPending(r: OutboxRow): PendingDelivery {
  return {
    id: r.id, alertId: r.alert_id, createdMs: r.created_at, attempts: r.attempts, nextAttemptMs: r.next_attempt,
    contentType: r.content_type, body: r.body, state: r.state,
  };
}

export class SqliteAlertCatalog implements AlertCatalog {
  private readonly st;
  private gen = 0;

  constructor(private readonly db: Database.Database) {
    this.st = {
      all: db.prepare<[], AlertRow>("SELECT id, name, def, created_at FROM alerts ORDER BY name COLLATE NOCASE, name"),
      byId: db.prepare<[string], AlertRow>("SELECT id, name, def, created_at FROM alerts WHERE id = ?"),
      byName: db.prepare<[string], AlertRow>("SELECT id, name, def, created_at FROM alerts WHERE name = ?"),
      insert: db.prepare<[string, string, string, number]>("INSERT INTO alerts (id, name, def, created_at) VALUES (?, ?, ?, ?)"),
      delete: db.prepare<[string]>("DELETE FROM alerts WHERE id = ?"),
      deleteState: db.prepare<[string]>("DELETE FROM alert_state WHERE id = ?"),
      deleteHistory: db.prepare<[string]>("DELETE FROM alert_history WHERE alert_id = ?"),
      deleteOutbox: db.prepare<[string]>("DELETE FROM alert_outbox WHERE alert_id = ?"),
      state: db.prepare<[string], { state: string }>("SELECT state FROM alert_state WHERE id = ?"),
      saveState: db.prepare<[string, string]>("INSERT INTO alert_state (id, state) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state"),
      addHistory: db.prepare<[string, number, string, string]>("INSERT INTO alert_history (alert_id, at, kind, detail) VALUES (?, ?, ?, ?)"),
      trimHistory: db.prepare<[string, string, number]>(
        "DELETE FROM alert_history WHERE alert_id = ? AND seq <= (SELECT seq FROM alert_history WHERE alert_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
      ),
      history: db.prepare<[string, number], { at: number; kind: string; detail: string }>(
        "SELECT at, kind, detail FROM alert_history WHERE alert_id = ? ORDER BY seq DESC LIMIT ?",
      ),
      enqueue: db.prepare<[string, number, number, number, string, string, string]>(
        "INSERT INTO alert_outbox (alert_id, created_at, attempts, next_attempt, content_type, body, state) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      // The oldest notification of each alert, when it is due: an alert's notifications go in order.
      due: db.prepare<[number, number], OutboxRow>(
        "SELECT o.* FROM alert_outbox o WHERE o.next_attempt <= ? AND o.id = (SELECT min(id) FROM alert_outbox WHERE alert_id = o.alert_id) ORDER BY o.id LIMIT ?",
      ),
      pendingAll: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM alert_outbox"),
      pendingOf: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM alert_outbox WHERE alert_id = ?"),
      retry: db.prepare<[number, number, number]>("UPDATE alert_outbox SET attempts = ?, next_attempt = ? WHERE id = ?"),
      remove: db.prepare<[number]>("DELETE FROM alert_outbox WHERE id = ?"),
    };
  }

  list(): AlertDef[] {
    return this.st.all.all().map(toDef);
  }

  get(idOrName: string): AlertDef | undefined {
    const r = this.st.byId.get(idOrName) ?? this.st.byName.get(idOrName);
    return r && toDef(r);
  }

  create(input: AlertInput, now = Date.now()): AlertDef {
    if (this.st.byName.get(input.name)) {
      throw new LogharborError("LH_ERR_ALERT_EXISTS", `name "${input.name}": an alert with this name exists already; pick another name or delete that one`, { status: 409 });
    }
    const id = randomUUID();
    const { name, ...def } = input;
    this.st.insert.run(id, name, JSON.stringify(def), now);
    this.gen++;
    return { ...input, id, createdAt: now };
  }

  delete(id: string): boolean {
    const done = this.db.transaction(() => {
      this.st.deleteState.run(id);
      this.st.deleteHistory.run(id);
      this.st.deleteOutbox.run(id);
      return this.st.delete.run(id).changes > 0;
    })();
    if (done) this.gen++;
    return done;
  }

  generation(): number {
    return this.gen;
  }

  state(id: string): AlertState | undefined {
    const r = this.st.state.get(id);
    return r && (JSON.parse(r.state) as AlertState);
  }

  saveState(id: string, state: AlertState): void {
    this.st.saveState.run(id, JSON.stringify(state));
  }

  addHistory(id: string, entry: HistoryEntry): void {
    const r = this.st.addHistory.run(id, entry.atMs, entry.kind, JSON.stringify(entry.detail));
    // Trim now and then rather than at every entry.
    if (Number(r.lastInsertRowid) % 256 === 0) this.st.trimHistory.run(id, id, HISTORY_KEPT);
  }

  history(id: string, limit: number): HistoryEntry[] {
    return this.st.history.all(id, limit).map((r) => ({ atMs: r.at, kind: r.kind as HistoryEntry["kind"], detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  enqueue(d: Omit<PendingDelivery, "id">): number {
    return Number(this.st.enqueue.run(d.alertId, d.createdMs, d.attempts, d.nextAttemptMs, d.contentType, d.body, d.state).lastInsertRowid);
  }

  due(nowMs: number, limit: number): PendingDelivery[] {
    return this.st.due.all(nowMs, limit).map(toPending);
  }

  pending(alertId?: string): number {
    return (alertId === undefined ? this.st.pendingAll.get() : this.st.pendingOf.get(alertId))!.n;
  }

  retryLater(id: number, attempts: number, nextAttemptMs: number): void {
    this.st.retry.run(attempts, nextAttemptMs, id);
  }

  remove(id: number): void {
    this.st.remove.run(id);
  }
}
