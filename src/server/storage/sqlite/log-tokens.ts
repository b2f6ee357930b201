// Ingest tokens of logs: which log a token writes to now, rotation with a grace period, revocation.
// The current token is logs.token unless logs.token_revoked_at is set; a rotated-out token stays in
// previous_tokens, accepted until its valid_until, then refused (expired rows are deleted at the next
// rotation or revocation). `generation` changes whenever a token stops being accepted, so in-memory
// caches (src/server/ingest/common/token-resolver.ts) drop what they hold at once.
import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import type { LogInfo } from "../store.js";

export interface TokenLogRow {
  seq: number;
  id: string;
  name: string;
  token: string;
  created_at: number;
  token_revoked_at: number | null;
  previous_until: number | null;
  retention_ms: number | null;
}

/** The columns of a log row with its token state (binds @now). */
const COLUMNS =
  "l.seq, l.id, l.name, l.token, l.created_at, l.token_revoked_at, l.retention_ms, " +
  "(SELECT max(p.valid_until) FROM previous_tokens p WHERE p.log = l.seq AND p.valid_until > @now) AS previous_until";

export function toLogInfo(r: TokenLogRow): LogInfo {
  const log: LogInfo = { id: r.id, name: r.name, token: r.token, createdAt: r.created_at };
  if (r.token_revoked_at !== null) log.tokenRevokedAt = r.token_revoked_at;
  if (r.previous_until !== null) log.previousTokenUntil = r.previous_until;
  if (r.retention_ms !== null) log.retentionMs = r.retention_ms;
  return log;
}

export class LogTokens {
  private gen = 0;
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      current: db.prepare<[{ now: number; token: string }], TokenLogRow>(`SELECT ${COLUMNS} FROM logs l WHERE l.token = @token AND l.token_revoked_at IS NULL`),
      previous: db.prepare<[{ now: number; token: string }], TokenLogRow>(
        `SELECT ${COLUMNS} FROM previous_tokens t JOIN logs l ON l.seq = t.log WHERE t.token = @token AND t.valid_until > @now`,
      ),
      bySeq: db.prepare<[{ now: number; seq: number }], TokenLogRow>(`SELECT ${COLUMNS} FROM logs l WHERE l.seq = @seq`),
      byId: db.prepare<[{ now: number; id: string }], TokenLogRow>(`SELECT ${COLUMNS} FROM logs l WHERE l.id = @id`),
      byName: db.prepare<[{ now: number; name: string }], TokenLogRow>(`SELECT ${COLUMNS} FROM logs l WHERE l.name = @name`),
      all: db.prepare<[{ now: number }], TokenLogRow>(`SELECT ${COLUMNS} FROM logs l ORDER BY l.name`),
      accepted: db.prepare<[{ now: number }], { token: string }>(
        "SELECT token FROM logs WHERE token_revoked_at IS NULL UNION ALL SELECT token FROM previous_tokens WHERE valid_until > @now",
      ),
      keepPrevious: db.prepare<[string, number, number, number]>("INSERT INTO previous_tokens (token, log, retired_at, valid_until) VALUES (?, ?, ?, ?)"),
      setToken: db.prepare<[string, number]>("UPDATE logs SET token = ?, token_revoked_at = NULL WHERE seq = ?"),
      revoke: db.prepare<[number, number]>("UPDATE logs SET token_revoked_at = ? WHERE seq = ? AND token_revoked_at IS NULL"),
      dropPrevious: db.prepare<[number]>("DELETE FROM previous_tokens WHERE log = ?"),
      dropExpired: db.prepare<[number]>("DELETE FROM previous_tokens WHERE valid_until <= ?"),
    };
  }

  generation(): number {
    return this.gen;
  }

  /** The log this token may write to now: its current token, or a previous one within its grace period. */
  logOfToken(token: string, now = Date.now()): TokenLogRow | undefined {
    return this.st.current.get({ now, token }) ?? this.st.previous.get({ now, token });
  }

  row(seq: number, now = Date.now()): TokenLogRow | undefined {
    return this.st.bySeq.get({ now, seq });
  }

  byId(id: string, now = Date.now()): TokenLogRow | undefined {
    return this.st.byId.get({ now, id });
  }

  byName(name: string, now = Date.now()): TokenLogRow | undefined {
    return this.st.byName.get({ now, name });
  }

  all(now = Date.now()): TokenLogRow[] {
    return this.st.all.all({ now });
  }

  /** Every token accepted now: the current ones and the rotated-out ones within their grace period. */
  accepted(now = Date.now()): string[] {
    return this.st.accepted.all({ now }).map((r) => r.token);
  }

  /** A new current token; the old one stays accepted for graceMs unless the log was revoked. */
  rotate(seq: number, graceMs: number, now = Date.now()): void {
    this.db.transaction(() => {
      const cur = this.st.bySeq.get({ now, seq });
      if (!cur) return;
      this.st.dropExpired.run(now);
      if (cur.token_revoked_at === null && graceMs > 0) this.st.keepPrevious.run(cur.token, seq, now, now + graceMs);
      this.st.setToken.run(randomUUID(), seq);
    })();
    this.gen++;
  }

  /** Every token of the log refused, or only the previous ones still in their grace period. */
  revoke(seq: number, previousOnly: boolean, now = Date.now()): void {
    this.db.transaction(() => {
      this.st.dropExpired.run(now);
      this.st.dropPrevious.run(seq);
      if (!previousOnly) this.st.revoke.run(now, seq);
    })();
    this.gen++;
  }
}
