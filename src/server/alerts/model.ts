// What an alert is: an LEQL query over one log or all, one trigger, and where its notifications go.
// The trigger kinds (docs/alerts.md):
// - match: every matching entry, notifications batched: at most one per `throttleS`, each with the
//   true count since the previous one and up to 10 samples;
// - threshold: the count of matching entries in a sliding window of `windowS` above `count` (with
//   groupby(...) in the query, each group on its own), or, when the query calculates something else
//   (average, percentile, unique, ...), that value above (or with `below`, under) `count`;
// - inactivity: no entry for `forS`, per log, host or unit (a host that stopped shipping).

export type TriggerKind = "match" | "threshold" | "inactivity";

export type Trigger =
  | { kind: "match"; throttleS: number }
  | { kind: "threshold"; count: number; windowS: number; below: boolean }
  | { kind: "inactivity"; forS: number; per: InactivityPer };

export type InactivityPer = "host" | "unit" | "log";

export type PayloadFormat = "json" | "logentries";

/** What a client sends to create an alert (validated by input.ts). */
export interface AlertInput {
  name: string;
  /** LEQL; "" = every entry. */
  query: string;
  /** Log names; empty = all logs. */
  logs: string[];
  trigger: Trigger;
  /** Repeat a still-firing notification this often (seconds); 0 = never. */
  renotifyS: number;
  webhook: string;
  /** HMAC-SHA256 key of X-Logharbor-Signature; "" = unsigned. Secret: never logged nor returned. */
  secret: string;
  payload: PayloadFormat;
}

export interface AlertDef extends AlertInput {
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** ok: quiet; firing: at least one group is firing; error: its evaluation fails (the query, say). */
export type AlertStatus = "ok" | "firing" | "error";

/** What an alert remembers across restarts: which groups fire, since when, and when they were last told. */
export interface AlertState {
  status: AlertStatus;
  /** Group key (JSON of the group's values, "" without groups) → its firing state. */
  firing: Record<string, { sinceMs: number; notifiedMs: number; group: Record<string, string> }>;
  lastFiredMs?: number;
  error?: string;
  /** Matches counted per minute over the last hour, for the sparkline: [minute (epoch min), count]. */
  recent?: Array<[number, number]>;
}

export const EMPTY_STATE: AlertState = { status: "ok", firing: {} };

/** One sample event of a notification, as DESIGN.md shows it. */
export interface SampleEvent {
  ts: string;
  host: string | null;
  unit: string | null;
  message: string;
}

/** A notification before it is encoded for its receiver. */
export interface Notification {
  alert: AlertDef;
  state: "firing" | "resolved";
  /** The log the events came from ("" when several or unknown). */
  log: string;
  count: number;
  windowS: number;
  group: Record<string, string>;
  events: SampleEvent[];
  /** Time range of the search that shows what fired (ms). */
  fromMs: number;
  toMs: number;
  /** The calculated value (calculated thresholds). */
  value?: number | null;
  /** True for `alerts test`: a sample, not a real firing. */
  test?: boolean;
}

export type HistoryKind = "firing" | "resolved" | "error" | "recovered" | "delivered" | "delivery_failed" | "dropped" | "test" | "late";

export interface HistoryEntry {
  atMs: number;
  kind: HistoryKind;
  /** Free-form details: group, count, HTTP status, error message, attempt number. */
  detail: Record<string, unknown>;
}

/** A notification waiting for its receiver (the outbox survives restarts). */
export interface PendingDelivery {
  id: number;
  alertId: string;
  createdMs: number;
  attempts: number;
  nextAttemptMs: number;
  /** The encoded request: content type and body. */
  contentType: string;
  body: string;
  /** "firing" | "resolved" | "test": for the history. */
  state: string;
}
