// The SQLite schema and its migrations. schema_version holds the number of migrations applied;
// a migration is never edited once released, only followed by new ones.
import type Database from "better-sqlite3";
import { LogharborError } from "../../../core/errors.js";
import { MINUTE_ROLLUP_MIGRATION } from "./minute-rollup.js";
import { API_KEYS_MIGRATION } from "./api-keys.js";
import { ALERTS_MIGRATION } from "./alert-catalog.js";
import { FLEET_MIGRATION } from "./fleet-queries.js";

/**
 * events: one row per stored entry. host and unit point into small dictionary tables (a few
 * hundred names for millions of rows), which keeps rows and comparisons small.
 * Indexes, each measured to cost 10-15% of insert speed (see the SqliteStore doc comment):
 * (log, ident) UNIQUE for dedupe (rows with an identity only, migration 8), (log, ts) for one log's time range, (ts) for all logs' newest
 * first. Host/unit filters are integer checks within the time-range scan.
 * events_fts: external-content FTS5 over message, written by the store in the same transaction.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE logs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    events INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE units (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    log INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    host INTEGER,
    unit INTEGER,
    priority INTEGER,
    ident TEXT NOT NULL,
    message TEXT NOT NULL,
    fields TEXT NOT NULL
  );
  CREATE UNIQUE INDEX events_log_ident ON events(log, ident);
  CREATE INDEX events_log_ts ON events(log, ts);
  CREATE INDEX events_ts ON events(ts);
  CREATE VIRTUAL TABLE events_fts USING fts5(
    message, content='events', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', columnsize=0
  );
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL UNIQUE,
    read_only INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 2: fields parsed from the message at ingest (JSON leaves, key=value pairs), a flat JSON object
  // or NULL (src/server/storage/message-fields.ts). Rows stored before stay NULL.
  `
  ALTER TABLE events ADD COLUMN parsed TEXT;
  `,
  // 3: the all-logs time index also covers host, unit, priority and log, so statistics by host or
  // unit over a time range read the index only (measured 2.5x faster for groupby(host) at 200k
  // entries), and those filters are checked before the row is read. Same number of indexes.
  `
  DROP INDEX events_ts;
  CREATE INDEX events_ts ON events(ts, host, unit, priority, log);
  `,
  // 4: ingest token rotation and revocation (src/server/storage/sqlite/log-tokens.ts), and saved
  // queries kept by the server (saved-queries.ts). logs.token stays the current token;
  // token_revoked_at (ms) set = the log accepts no token until it is rotated. previous_tokens holds
  // rotated-out tokens that are still accepted until valid_until (ms), the rotation's grace period.
  `
  ALTER TABLE logs ADD COLUMN token_revoked_at INTEGER;
  CREATE TABLE previous_tokens (
    token TEXT PRIMARY KEY,
    log INTEGER NOT NULL,
    retired_at INTEGER NOT NULL,
    valid_until INTEGER NOT NULL
  );
  CREATE INDEX previous_tokens_log ON previous_tokens(log);
  CREATE TABLE saved_queries (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    q TEXT NOT NULL,
    range_from TEXT NOT NULL,
    range_to TEXT NOT NULL,
    logs TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 5: the minute rollup (counts, id bounds and parsed field names per minute, log, host, unit and
  // priority; minute-rollup.ts), filled from the events already stored.
  MINUTE_ROLLUP_MIGRATION,
  // 6: the parsed message fields move to their own narrow table, keyed by event id: a query on a
  // parsed field reads ~100-byte rows found from the time index, not the ~1.1 KB event rows
  // (measured 2x faster for `unit=nginx.service AND rt>1` over 1M entries). Deleting an event
  // deletes its parsed fields.
  `
  CREATE TABLE event_parsed (id INTEGER PRIMARY KEY, parsed TEXT NOT NULL);
  INSERT INTO event_parsed (id, parsed) SELECT id, parsed FROM events WHERE parsed IS NOT NULL;
  ALTER TABLE events DROP COLUMN parsed;
  CREATE TRIGGER event_parsed_delete AFTER DELETE ON events BEGIN
    DELETE FROM event_parsed WHERE id = old.id;
  END;
  `,
  // 7: the full-text index merges its segments 8 at a time instead of 4 (FTS5 automerge): measured
  // 1.2x faster inserts; a keyword reads a few more segments.
  `
  INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 8);
  `,
  // 8: events without an identity (token lines, syslog, webhooks: ident '') stay out of the dedupe
  // index: they are never duplicates, and its entry cost every such row about 0.5 µs of a ~9 µs
  // insert (measured, bench/store-insert.ts). Rows stored before keep their unique arrival idents.
  `
  DROP INDEX events_log_ident;
  CREATE UNIQUE INDEX events_log_ident ON events(log, ident) WHERE ident <> '';
  `,
  // 9: a log's own retention in ms (retention.ts): NULL = the server's (serve --retention), 0 = keep
  // everything.
  `
  ALTER TABLE logs ADD COLUMN retention_ms INTEGER;
  `,
  // 10: API keys get a name, a role (admin), an expiry, a last-used time and a revocation time (api-keys.ts).
  API_KEYS_MIGRATION,
  // 11: alerts, their state, history and outbox of notifications (alert-catalog.ts).
  ALERTS_MIGRATION,
  // 12: the fleet view: each host's (unit's) newest rollup row found by index, and the agents' own reports.
  FLEET_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Settings for every connection: WAL, and fsync at every commit so an acknowledged batch survives power loss. */
export function applyPragmas(db: Database.Database): void {
  // A new database gets 16 KiB pages (measured 1.3x faster inserts of ~1 KB rows than 4 KiB, with
  // no slower query); an existing one keeps its page size (this is a no-op for it).
  db.pragma("page_size = 16384");
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode may lose the last commits on power loss; we acknowledge batches only after commit.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = OFF");
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = MEMORY");
  db.pragma("busy_timeout = 5000");
}

/** Brings the database to SCHEMA_VERSION; refuses a database written by a newer logharbor. */
export function migrate(db: Database.Database, file: string): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new LogharborError(
      "LH_ERR_SERVER",
      `${file}: database schema version ${current} is newer than this logharbor understands (${SCHEMA_VERSION}); upgrade logharbor`,
      { status: 500 },
    );
  }
  if (current === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    db.prepare("DELETE FROM schema_version").run();
    db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(SCHEMA_VERSION);
  })();
}
