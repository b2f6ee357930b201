// The shapes of the /api/v1 answers the page reads (see docs/http-api.md).

export interface EventJson {
  id: number;
  log: string;
  ts: string;
  ts_us: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  message: string;
  fields: Record<string, unknown>;
  parsed?: Record<string, unknown>;
  extracted?: Record<string, unknown>;
}

export interface EventsAnswer {
  type: "events";
  query: string;
  events: EventJson[];
  next_page?: string;
  partial: boolean;
  reason?: string;
  elapsed_ms: number;
}

export interface Bucket {
  from: string;
  from_ms: number;
  count: number;
  value: number | null;
}

export interface Group {
  key: Array<string | number | null>;
  count: number;
  value: number | null;
  timeseries?: Array<number | null>;
}

export interface StatisticsAnswer {
  type: "statistics";
  query: string;
  statistics: {
    function: string;
    field: string | null;
    percentile: number | null;
    groupby: string[];
    count: number;
    value: number | null;
    groups: Group[];
    groups_total: number;
    timeslice?: { width_ms: number; buckets: Bucket[] };
  };
  partial: boolean;
  reason?: string;
  elapsed_ms: number;
}

export type QueryAnswer = EventsAnswer | StatisticsAnswer;

export interface LogJson {
  id: string;
  name: string;
  /** null once revoked (until the next rotation). */
  token: string | null;
  created_at: string;
  token_revoked_at?: string;
  /** Set while a rotated-out token is still accepted. */
  previous_token_valid_until?: string;
  events?: number;
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

export interface FieldInfo {
  name: string;
  alias?: string;
  source: string;
  count: number;
}
