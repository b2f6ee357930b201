// The alerts' part of the catalog: definitions, their remembered state, their history, and the outbox
// of notifications not yet delivered. The SQLite store implements it (storage/sqlite/alert-catalog.ts);
// a store shared by several servers shares it too, so every instance sees the same alerts.
import type { AlertDef, AlertInput, AlertState, HistoryEntry, PendingDelivery } from "./model.js";

export interface AlertCatalog {
  list(): AlertDef[];
  /** By id or by name. */
  get(idOrName: string): AlertDef | undefined;
  /** 409 LH_ERR_ALERT_EXISTS when the name is taken. */
  create(input: AlertInput): AlertDef;
  /** False when there was no such id. Its state, history and pending deliveries go with it. */
  delete(id: string): boolean;
  /** Changes whenever an alert is created or deleted: evaluators reload when it moves. */
  generation(): number;

  state(id: string): AlertState | undefined;
  saveState(id: string, state: AlertState): void;

  addHistory(id: string, entry: HistoryEntry): void;
  /** Newest first. */
  history(id: string, limit: number): HistoryEntry[];

  enqueue(d: Omit<PendingDelivery, "id">): number;
  /** The oldest waiting delivery of each alert, when it is due at `nowMs` (at most `limit`, oldest first). */
  due(nowMs: number, limit: number): PendingDelivery[];
  /** How many wait for an alert (all alerts when undefined). */
  pending(alertId?: string): number;
  retryLater(id: number, attempts: number, nextAttemptMs: number): void;
  remove(id: number): void;
}
