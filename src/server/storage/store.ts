// The storage interface. The embedded SQLite store implements it now; a ClickHouse store will
// implement the same interface later without changing callers (ingest, query, API).
import type { LogharborError } from "../../core/errors.js";
import type { AlertCatalog } from "../alerts/catalog.js";

export interface LogInfo {
  /** Stable public id (UUID). */
  id: string;
  name: string;
  /** The ingest token (UUID). Secret: never log it. */
  token: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Set when the token was revoked (ms since the epoch): the log accepts no token until it is rotated. */
  tokenRevokedAt?: number;
  /** Set while a token rotated out of this log is still accepted (its grace period): until when (ms), the latest. */
  previousTokenUntil?: number;
  /** The log's own retention (ms; 0 = keep everything); absent: the server's (serve --retention). */
  retentionMs?: number;
}

/**
 * Ingest tokens are UUIDs and compare case-insensitively on every protocol: each lookup takes the
 * token in this form (lower case, surrounding white space cut). Tokens are made in lower case.
 */
export function canonicalToken(token: string): string {
  return token.trim().toLowerCase();
}

/** A named query kept by the server: the LEQL text, its time range and logs as the page's URL holds them. */
export interface SavedQuery {
  /** Stable public id (UUID). */
  id: string;
  name: string;
  /** LEQL, "" = every event. */
  q: string;
  /** A time expression (-1h, now, ISO, epoch ms) or "" / "all" for an open end. */
  from: string;
  to: string;
  /** Log names, comma-separated; "" = all logs. */
  log: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

export type SavedQueryInput = Pick<SavedQuery, "name" | "q" | "from" | "to" | "log">;

/** One entry ready to store, as every ingest protocol produces it. */
export interface NewEvent {
  /**
   * Identity for deduplication within a log (the journal identity), or "" for an event of a protocol
   * without one (lines, syslog, webhooks): never a duplicate, identical lines all kept.
   */
  ident: string;
  /** Event time, microseconds since the epoch. */
  tsUs: number;
  host: string | null;
  unit: string | null;
  /** syslog priority 0..7, or null. */
  priority: number | null;
  /** The message as a person reads it (never binary: invalid UTF-8 replaced). */
  message: string;
  /**
   * Every field, JSON-encoded: an object whose values are strings, {"base64": "..."} for bytes
   * that are not valid UTF-8, or arrays of those for repeated fields.
   */
  fieldsJson: string;
  /**
   * Structured data the protocol carried (a forward-protocol record, GELF additional fields): its
   * leaves are queryable like those of a JSON message (`where(status=503)`, `user.id`), over the
   * fields parsed from the message. Top-level journal names are read from fieldsJson instead.
   */
  record?: Record<string, unknown>;
  /**
   * Structured fields the protocol gave beside the message (OTLP attributes, Loki labels, an
   * Elasticsearch document's fields), flat (dot paths): stored with the fields parsed from the
   * message (StoredEvent.parsed), winning over them, so lower-case names are queryable
   * (`where(service.name = checkout)`). See eventParsedFields (message-fields.ts).
   */
  attributes?: Record<string, string | number>;
}

/** Events collected for Store.insertBatch (made by Store.newBatch). */
export interface EventBatch {
  add(ev: NewEvent): void;
  readonly count: number;
}

export interface InsertResult {
  inserted: number;
  duplicates: number;
}

export interface StoredEvent {
  /** Store-wide id, increasing in insertion order. */
  id: number;
  logId: string;
  logName: string;
  tsUs: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  message: string;
  fields: Record<string, unknown>;
  /**
   * Fields parsed from the message at ingest (src/server/storage/message-fields.ts): JSON leaves as
   * dot paths, key=value pairs, and the protocol's structured fields (NewEvent.attributes). Absent
   * when the message had none.
   */
  parsed?: Record<string, unknown>;
}

/** What to search: logs, a time range [fromUs, toUs), and a predicate built by the query planner. */
export interface EventSearch {
  /** Log ids to search; empty = all logs. */
  logIds: string[];
  fromUs: number;
  toUs: number;
  /** undefined = every event in range. */
  where?: Predicate;
  limit: number;
  /** Newest first (default) or oldest first. */
  order: "desc" | "asc";
  /** Continue after this position (opaque; from a previous page's nextPage). */
  after?: string;
}

/**
 * A filter over events, storage-neutral. Each store compiles it to its own query language.
 * - term: a word anywhere in the message, case-insensitive (full-text index).
 * - phrase: a quoted phrase in the message, case-insensitive (full-text index, then verified).
 * - regex: a JavaScript regular expression over the message (source + flags).
 * - field: a comparison on a field. `field` is a journal field name (MESSAGE, _HOSTNAME,
 *   _SYSTEMD_UNIT, PRIORITY, ...) or a name parsed from the message. Numbers compare as numbers
 *   when `value` is a number. `in` takes an array; `contains` / `starts-with` are case-insensitive.
 * - exists: the field is present.
 */
export type Predicate =
  | { kind: "term"; value: string }
  | { kind: "phrase"; value: string }
  | { kind: "regex"; source: string; flags: string }
  | { kind: "field"; field: string; op: FieldOp; value: string | number | Array<string | number> }
  | { kind: "exists"; field: string }
  | { kind: "and" | "or"; items: Predicate[] }
  | { kind: "not"; item: Predicate };

export type FieldOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains" | "starts-with";

export interface EventPage {
  events: StoredEvent[];
  /** Set when more events match; pass back as `after`. */
  nextPage?: string;
}

/** An API key for the read/manage HTTP API. Only a hash of its secret is stored. */
export interface ApiKeyInfo {
  id: string;
  /** Unique among live keys. */
  name: string;
  readOnly: boolean;
  /** Admin keys also create, list, revoke and rotate keys (read-write keys do not). */
  admin: boolean;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Refused from then on (ms), when set. */
  expiresAt?: number;
  /** Last accepted call (ms), written at most once a minute per key. */
  lastUsedAt?: number;
  /** Set once revoked (ms): never accepted again. */
  revokedAt?: number;
}

export interface NewApiKeyOptions {
  readOnly: boolean;
  admin?: boolean;
  /** Default: key-<first 8 characters of the id>. 409 LH_ERR_KEY_EXISTS when a live key has it. */
  name?: string;
  expiresAt?: number;
}

export interface NewApiKey {
  key: ApiKeyInfo;
  /** The secret, shown once at creation. Never log it. */
  secret: string;
}

/** A time range of some logs, filtered by a predicate: what statistics run over. */
export interface RangeSearch {
  /** Log ids; empty = all logs. */
  logIds: string[];
  fromUs: number;
  toUs: number;
  where?: Predicate;
}

/**
 * What the store computes per group for statistics. Field names are resolved (journal names, parsed
 * message fields); a journal field name (upper case) is looked up in the journal fields first, then in
 * the parsed fields; any other name only in the parsed fields.
 */
export interface AggregateSpec {
  groupby: string[];
  /** Time buckets: bucket = floor((ts - originUs) / widthUs). */
  bucket?: { originUs: number; widthUs: number };
  /** The field whose values are aggregated (sum/min/max over those that are numbers). */
  value?: string;
  /** Also total the UTF-8 size of the messages (calculate(bytes)). */
  bytes?: boolean;
}

/** One group (and bucket) of an aggregate. */
export interface AggregateRow {
  keys: Array<string | number | null>;
  bucket: number | null;
  /** Matching events. */
  count: number;
  /** Of which have the value field, and of which it is a number. */
  present: number;
  numeric: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Total UTF-8 size of the messages. */
  bytes: number;
}

/** A row of iterateValues: the group keys, the bucket, then the value field (raw). */
export type ValueRow = { keys: Array<string | number | null>; bucket: number | null; value: unknown; bytes: number };

export type InsertListener = (events: StoredEvent[]) => void;

export interface Store {
  /** The alerts' definitions, state, history and outbox. */
  readonly alerts: AlertCatalog;
  createLog(name: string): LogInfo;
  listLogs(): LogInfo[];
  /** The log of a token (compared as canonicalToken does: case-insensitively). */
  logByToken(token: string): LogInfo | undefined;
  logByName(name: string): LogInfo | undefined;
  /**
   * Every ingest token accepted now (current ones, and rotated-out ones within their grace period),
   * for a protocol that proves a token without sending it (the forward protocol's shared-key
   * handshake). Secret: never log them.
   */
  acceptedTokens(): string[];
  logById(id: string): LogInfo | undefined;
  /** Stores events into a log atomically and durably (committed when it returns); skips duplicates. */
  insert(logId: string, events: NewEvent[]): InsertResult;
  /** The same as insert, possibly on another thread: settles after the commit. Ingest paths use this. */
  insertAsync(logId: string, events: NewEvent[]): Promise<InsertResult>;
  /**
   * A batch to fill as events arrive (a journal batch read over many network reads, the line
   * protocols' group commit) and then hand to insertBatch: the store keeps the events its own way
   * (the SQLite store packs each one as it comes, which spares the garbage collector).
   */
  newBatch(): EventBatch;
  /** Stores a batch from newBatch() like insertAsync; add nothing to it after. */
  insertBatch(logId: string, batch: EventBatch): Promise<InsertResult>;
  search(q: EventSearch): EventPage;
  /** Matching events of a range, one at a time, in time order (ties by id); stop by leaving the loop. */
  iterateEvents(q: RangeSearch & { order: "asc" | "desc"; after?: string }): IterableIterator<StoredEvent>;
  /** The stored event with this id (StoredEvent.id), or undefined (never stored, or deleted by retention). */
  eventById(id: number): StoredEvent | undefined;
  /** The `after` position that continues a search right after this event. */
  positionOf(e: StoredEvent): string;
  /** count / sum / min / max / bytes per group and bucket, computed by the store. */
  aggregate(q: RangeSearch, spec: AggregateSpec): AggregateRow[];
  /** Group keys, bucket and value of every matching event, for statistics the store cannot compute. */
  iterateValues(q: RangeSearch, spec: AggregateSpec): IterableIterator<ValueRow>;
  /** Oldest and newest event time of some logs (all when empty); undefined when they hold none. */
  timeBounds(logIds: string[]): { minUs: number; maxUs: number } | undefined;
  /**
   * Calls `listener` after every committed insert with the events it stored (not the duplicates),
   * whatever the protocol. Returns the function that removes it. Costs nothing while none is added.
   */
  onInserted(listener: InsertListener): () => void;
  /** Per host, unit or log: the time of its most recently stored entry (µs), newest first. */
  lastEntries(by: "host" | "unit" | "log"): Array<{ key: string; lastUs: number }>;
  /** Per host: entries, and errors (priority emerg..err), stored from the minute of `sinceUs` on. */
  hostCounts(sinceUs: number): Array<{ host: string; entries: number; errors: number }>;
  /** The latest report of each host's agent (sent with its batches), as JSON text, with when it came (ms). */
  agentReports(): Array<{ host: string; report: string; atMs: number }>;
  saveAgentReport(host: string, report: string, atMs: number): void;
  /** Forgets a host's agent report; false when there was none. */
  deleteAgentReport(host: string): boolean;
  /** Number of events stored in a log (or in all logs). */
  count(logId?: string): number;
  /** Why the store cannot take writes now (its writer thread stopped, say), or undefined when it can. */
  writeProblem(): string | undefined;
  /**
   * The storage fault the last write met (LH_ERR_STORAGE_FULL, LH_ERR_STORAGE_CORRUPT) while it lasts:
   * cleared by the next write that succeeds, or once the store finds space again (it probes).
   */
  writeFault?(): LogharborError | undefined;
  /**
   * Retention: deletes up to `max` of a log's oldest events with a time before `beforeUs`, in one
   * transaction (on the writer's thread when there is one); returns how many it deleted.
   */
  prune(logId: string, beforeUs: number, max: number): Promise<number>;
  /** A log's own retention (ms, 0 = keep everything), or null to follow the server's. */
  setRetention(logId: string, retentionMs: number | null): LogInfo;
  /** `true`/`false`: a read-only / read-write key with a default name. */
  createApiKey(opts: boolean | NewApiKeyOptions): NewApiKey;
  /** The key whose secret this is when it is accepted now (not revoked, not expired), or undefined. */
  apiKeyBySecret(secret: string): ApiKeyInfo | undefined;
  countApiKeys(): number;
  /** Every key, revoked ones too, oldest first (never a secret). */
  listApiKeys(): ApiKeyInfo[];
  /** By id or name. */
  apiKey(ref: string): ApiKeyInfo | undefined;
  /** Records a call made with the key (callers do it at most once a minute per key). */
  touchApiKey(id: string, atMs: number): void;
  revokeApiKey(id: string): ApiKeyInfo;
  /** A new secret for the key; the old one is refused at once. */
  rotateApiKey(id: string): NewApiKey;
  /**
   * Gives a log a new ingest token. The current one stays accepted for `graceMs` (0: refused at once)
   * so agents can be moved to the new one without losing lines; a revoked log's token is not kept.
   */
  rotateToken(logId: string, graceMs: number): LogInfo;
  /**
   * Refuses tokens at once: every token of the log (the log then accepts nothing until rotated), or
   * with `previousOnly` only the rotated-out tokens still in their grace period.
   */
  revokeToken(logId: string, opts?: { previousOnly?: boolean }): LogInfo;
  /** Changes whenever a token stops being accepted (rotation, revocation): token caches compare it. */
  tokenGeneration(): number;
  listSavedQueries(): SavedQuery[];
  /** By id or by name. */
  savedQuery(idOrName: string): SavedQuery | undefined;
  /** 409 LH_ERR_SAVED_QUERY_EXISTS when the name is taken. */
  createSavedQuery(input: SavedQueryInput): SavedQuery;
  /** 404 LH_ERR_NOT_FOUND when there is no such id; 409 when renamed to a taken name. */
  updateSavedQuery(id: string, input: SavedQueryInput): SavedQuery;
  /** False when there was no such id. */
  deleteSavedQuery(id: string): boolean;
  close(): void;
}
