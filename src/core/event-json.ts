// An event as the HTTP API shows it (GET /api/v1/events, /api/v1/query, the live tail) and as
// `logharbor query --json` prints it: the contract between the server and every client.
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
