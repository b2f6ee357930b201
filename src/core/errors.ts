// The error registry. Codes are stable, prefixed LH_ERR_, and never reused: callers (scripts, the
// web page, tests) match on `code`, people read `message`. Messages name the input, what was
// expected and what was received.

export const ERROR_CODES = {
  LH_ERR_USAGE: "bad command-line usage",
  LH_ERR_CONFIG: "invalid configuration",
  LH_ERR_JOURNAL_SPEC: "invalid --journal value",
  LH_ERR_DESTINATION: "invalid destination URL",
  LH_ERR_EXPORT_FORMAT: "malformed journal export data",
  LH_ERR_ENTRY_TOO_LARGE: "journal entry larger than the limit",
  LH_ERR_TOKEN_MISSING: "no ingest token given",
  LH_ERR_TOKEN_UNKNOWN: "ingest token not known",
  LH_ERR_API_KEY: "missing or invalid API key",
  LH_ERR_FORBIDDEN: "the API key may not do this",
  LH_ERR_BATCH: "malformed ingest batch",
  LH_ERR_BATCH_TOO_LARGE: "ingest batch larger than the limit",
  LH_ERR_LOG_EXISTS: "a log with that name exists already",
  LH_ERR_LOG_NOT_FOUND: "no such log",
  LH_ERR_QUERY_SYNTAX: "query syntax error",
  LH_ERR_QUERY_PARAM: "invalid query parameter",
  LH_ERR_QUERY_FIELD: "a query uses a field its values do not fit (e.g. a calculation on a field that is not numeric)",
  LH_ERR_TIME: "invalid time expression",
  LH_ERR_NOT_FOUND: "no such resource",
  LH_ERR_STATE: "agent state directory problem",
  LH_ERR_SOURCE: "journal source failure",
  LH_ERR_JOURNAL_FILE: "a journal file is corrupt, truncated or of a kind this reader does not know",
  LH_ERR_SINK: "destination failure",
  LH_ERR_SERVER: "server failure",
  LH_ERR_INTERNAL: "internal error",
  LH_ERR_REQUEST: "malformed HTTP request",
  LH_ERR_OVERLOADED: "the server is busy; retry after the Retry-After delay",
  LH_ERR_SAVED_QUERY_EXISTS: "a saved query with that name exists already",
  LH_ERR_QUERY_TOO_LARGE: "a query exceeds a size limit (its length, a regular expression's length, its number of terms)",
  LH_ERR_QUERY_TIMEOUT: "a query ran past its time budget and was stopped",
  LH_ERR_HOST: "the Host header does not name this server (DNS rebinding, an unknown proxy name)",
  LH_ERR_ORIGIN: "a state-changing request from another origin (a web page of another site)",
  LH_ERR_CONTENT_TYPE: "the API takes JSON bodies only",
  LH_ERR_KEY_EXISTS: "an API key with that name exists already",
  LH_ERR_STORAGE_FULL: "the store cannot write: its disk is full",
  LH_ERR_STORAGE_CORRUPT: "the store's database is damaged",
  LH_ERR_DATA_DIR_LOCKED: "another logharbor serve uses this data directory",
  LH_ERR_ADDRESS_IN_USE: "the address to listen on is in use or not allowed",
  LH_ERR_ALERT: "invalid alert definition",
  LH_ERR_ALERT_EXISTS: "an alert with that name exists already",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error a person can act on: a stable code, a message, and optional details. */
export class LogharborError extends Error {
  readonly code: ErrorCode;
  /** Column (1-based) for query errors, or a byte offset for wire-format errors. */
  readonly position?: number;
  /** HTTP status to answer with when this error reaches the API. */
  readonly status: number;

  constructor(code: ErrorCode, message: string, opts: { position?: number; status?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "LogharborError";
    this.code = code;
    if (opts.position !== undefined) this.position = opts.position;
    this.status = opts.status ?? 400;
  }

  toJSON(): { code: ErrorCode; message: string; position?: number } {
    return this.position === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, position: this.position };
  }
}

export function isLogharborError(e: unknown): e is LogharborError {
  return e instanceof LogharborError;
}
