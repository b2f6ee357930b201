// The HTTP API's JSON answers (docs/http-api.md): the contract between the server, which builds
// them, and its clients in this repository, the CLI and the web page, which read them. Types only,
// so the web page's build takes them too.

/** An event as GET /api/v1/events, the live tail and `logharbor query --json` show it. */
export interface EventJson {
  id: number;
  log: string;
  /** ISO-8601 with microseconds. */
  ts: string;
  ts_us: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  message: string;
  fields: Record<string, unknown>;
}

/** GET /api/v1/events/{id}/context: the entries around one, oldest first on each side. */
export interface EventContextJson {
  event: EventJson;
  by: "host" | "unit" | "container" | "log";
  /** The host, unit, container or log the entries share. */
  value: string;
  before: EventJson[];
  after: EventJson[];
}

/** An event in a /api/v1/query answer. */
export interface QueryEventJson extends EventJson {
  /** Fields parsed from the message at ingest. */
  parsed?: Record<string, unknown>;
  /** Values of the query's regex named groups. */
  extracted?: Record<string, string>;
}

export interface BucketJson {
  from: string;
  from_ms: number;
  count: number;
  value: number | null;
}

export interface GroupJson {
  key: Array<string | number | null>;
  count: number;
  value: number | null;
  timeseries?: Array<number | null>;
}

export interface StatisticsJson {
  function: string;
  field: string | null;
  percentile: number | null;
  groupby: string[];
  count: number;
  value: number | null;
  groups: GroupJson[];
  groups_total: number;
  timeslice?: { width_ms: number; buckets: BucketJson[] };
}

/** What every /api/v1/query answer carries besides its events or statistics. */
interface AnswerJson {
  query: string;
  from: string | null;
  to: string | null;
  partial: boolean;
  reason?: string;
  scanned_from?: string;
  scanned_to?: string;
  elapsed_ms: number;
  /** Why an empty answer is empty, when it is a field no entry in range has. */
  notice?: string;
}

export interface EventsAnswerJson extends AnswerJson {
  type: "events";
  events: QueryEventJson[];
  next_page?: string;
}

export interface StatisticsAnswerJson extends AnswerJson {
  type: "statistics";
  statistics: StatisticsJson;
  /** How the server computed it (rollup, aggregate, scan). */
  strategy: string;
}

export type QueryAnswerJson = EventsAnswerJson | StatisticsAnswerJson;

export interface LogJson {
  id: string;
  name: string;
  /** null once revoked (until the next rotation); absent for a read-only caller, who may not see tokens. */
  token?: string | null;
  created_at: string;
  token_revoked_at?: string;
  /** Set while a rotated-out token is still accepted. */
  previous_token_valid_until?: string;
  /** In GET /api/v1/logs. */
  events?: number;
  /** The log's own retention ("30d", "forever"); absent: the server's (serve --retention). */
  retention?: string;
}

export interface SavedQueryJson {
  id: string;
  name: string;
  q: string;
  from: string;
  to: string;
  log: string;
  created_at: string;
  updated_at: string;
}

export interface FieldJson {
  name: string;
  alias?: string;
  source: string;
  count: number;
}

/** An API key as GET /api/v1/keys lists it: never its secret. */
export interface KeyInfoJson {
  id: string;
  name: string;
  role: "read-only" | "read-write" | "admin";
  read_only: boolean;
  created_at: string;
  expires_at?: string;
  last_used_at?: string;
  revoked_at?: string;
}

/** POST /api/v1/keys and /api/v1/keys/{ref}/rotate: the secret is shown this once. */
export interface KeyJson extends KeyInfoJson {
  secret: string;
}

/** An alert as GET /api/v1/alerts shows it (never its secret; the webhook by its origin only). */
export interface AlertJson {
  id: string;
  name: string;
  query: string;
  log: string[];
  trigger:
    | { kind: "match"; throttle_s: number }
    | { kind: "threshold"; count: number; window_s: number; below: boolean; calculated: boolean }
    | { kind: "inactivity"; for_s: number; per: "host" | "unit" | "log" };
  renotify_s: number;
  /** scheme://host[:port] of the webhook: its path may hold a secret. */
  webhook: string;
  has_secret: boolean;
  payload: "json" | "logentries";
  created_at: string;
  status: "ok" | "firing" | "error";
  error?: string;
  last_fired?: string;
  firing: Array<{ group: Record<string, string>; since: string }>;
  pending_deliveries: number;
  /** Matching entries per minute over the last hour, oldest first. */
  sparkline: number[];
}

export interface AlertHistoryJson {
  at: string;
  kind: string;
  detail: Record<string, unknown>;
}

/** A host as GET /api/v1/hosts shows it; the list comes sorted, the one that needs attention first. */
export interface HostJson {
  host: string;
  /** Its most recently stored entry's time, or null when it has none stored (an agent report only). */
  last_entry: string | null;
  /** Seconds since that entry. */
  quiet_s: number | null;
  entries_1h: number;
  errors_1h: number;
  /** errors_1h / entries_1h (0 without entries). */
  error_share: number;
  silent: boolean;
  /** Why it is listed where it is: "silent", "agent error", "errors", "lagging", "agent not reporting". */
  attention: string[];
  agent: null | {
    version: string;
    lag_s: number | null;
    buffer_bytes: number;
    last_error: string | null;
    last_error_at: string | null;
    reported_at: string;
    /** False when its last report is older than the silence threshold. */
    reporting: boolean;
  };
}

export interface HostsJson {
  hosts: HostJson[];
  silent_after_s: number;
  /** The alert whose state says which hosts are silent, when one watches every host. */
  inactivity_alert: string | null;
}
