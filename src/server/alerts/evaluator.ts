// What every trigger's evaluator is, and what the engine gives it. An evaluator sees committed events
// (match, threshold: on the ingest path, no scan) and/or a clock tick (threshold windows sliding,
// inactivity, calculated thresholds on a schedule), keeps its groups' state in `ctx.state`, and
// hands notifications to `ctx.notify`.
import type { StoredEvent } from "../storage/store.js";
import type { AlertDef, AlertState, HistoryEntry, Notification } from "./model.js";

export interface EvaluatorContext {
  readonly def: AlertDef;
  /** Saved by the engine after every tick in which it changed (call `changed()`). */
  readonly state: AlertState;
  changed(): void;
  notify(n: Omit<Notification, "alert">): void;
  /** Counts matching entries (the sparkline of the Alerts tab). */
  matched(n: number, nowMs: number): void;
  history(kind: HistoryEntry["kind"], detail: Record<string, unknown>): void;
  /** The time the engine started watching this alert (ms): nothing counts as silent before it. */
  readonly watchSinceMs: number;
}

export interface Evaluator {
  /** Committed events of one insert (all logs; the evaluator filters). */
  onEvents?(events: readonly StoredEvent[], nowMs: number): void;
  tick(nowMs: number): void | Promise<void>;
  /** How often tick wants to run (ms). */
  readonly tickMs: number;
}

/** Up to this many sample events in one notification. */
export const MAX_SAMPLES = 10;
