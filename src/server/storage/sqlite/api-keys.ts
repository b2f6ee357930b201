// API keys of the read/manage API: only a SHA-256 of each secret is stored. A key has a role
// (read-only, read-write, admin: admin keys also manage keys), a name, an optional expiry, a
// last-used time (written by the caller at most once a minute per key) and, once revoked, the time
// of its revocation (a revoked key is kept for the list, never accepted again). Rotation gives a key
// a new secret and refuses the old one at once.
import type Database from "better-sqlite3";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { LogharborError } from "../../../core/errors.js";
import type { ApiKeyInfo, NewApiKey, NewApiKeyOptions } from "../store.js";

/** Migration 10: names, roles, expiry, last use and revocation of API keys; the oldest key is the admin key. */
export const API_KEYS_MIGRATION = `
  ALTER TABLE api_keys ADD COLUMN name TEXT;
  ALTER TABLE api_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
  ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
  ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
  UPDATE api_keys SET admin = 1, name = 'admin'
    WHERE id = (SELECT id FROM api_keys WHERE read_only = 0 ORDER BY created_at, rowid LIMIT 1);
`;

interface KeyRow {
  id: string;
  name: string | null;
  read_only: number;
  admin: number;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

const COLS = "id, name, read_only, admin, created_at, expires_at, last_used_at, revoked_at";

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function newSecret(): string {
  return `lhk_${randomBytes(32).toString("base64url")}`;
}

function toInfo(r: KeyRow): ApiKeyInfo {
  const k: ApiKeyInfo = { id: r.id, name: r.name ?? r.id.slice(0, 8), readOnly: r.read_only === 1, admin: r.admin === 1, createdAt: r.created_at };
  if (r.expires_at !== null) k.expiresAt = r.expires_at;
  if (r.last_used_at !== null) k.lastUsedAt = r.last_used_at;
  if (r.revoked_at !== null) k.revokedAt = r.revoked_at;
  return k;
}

export class ApiKeys {
  private readonly st;

  constructor(db: Database.Database) {
    this.st = {
      insert: db.prepare("INSERT INTO api_keys (id, secret_sha256, read_only, admin, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      byHash: db.prepare<[string], KeyRow>(`SELECT ${COLS} FROM api_keys WHERE secret_sha256 = ?`),
      byRef: db.prepare<[string, string], KeyRow>(`SELECT ${COLS} FROM api_keys WHERE id = ? OR name = ? ORDER BY revoked_at IS NOT NULL, created_at LIMIT 1`),
      byName: db.prepare<[string], KeyRow>(`SELECT ${COLS} FROM api_keys WHERE name = ? AND revoked_at IS NULL`),
      all: db.prepare<[], KeyRow>(`SELECT ${COLS} FROM api_keys ORDER BY created_at, rowid`),
      count: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM api_keys"),
      touch: db.prepare<[number, string]>("UPDATE api_keys SET last_used_at = ? WHERE id = ?"),
      revoke: db.prepare<[number, string]>("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
      rotate: db.prepare<[string, string]>("UPDATE api_keys SET secret_sha256 = ? WHERE id = ? AND revoked_at IS NULL"),
    };
  }

  create(opts: NewApiKeyOptions): NewApiKey {
    const id = randomUUID();
    const name = opts.name ?? `key-${id.slice(0, 8)}`;
    if (this.st.byName.get(name)) {
      throw new LogharborError("LH_ERR_KEY_EXISTS", `name "${name}": an API key with this name exists already; pick another name or revoke it first`, { status: 409 });
    }
    const secret = newSecret();
    const admin = opts.admin === true && !opts.readOnly;
    const createdAt = Date.now();
    this.st.insert.run(id, sha256(secret), opts.readOnly ? 1 : 0, admin ? 1 : 0, name, createdAt, opts.expiresAt ?? null);
    return { key: toInfo(this.st.byRef.get(id, id)!), secret };
  }

  /** The key of this secret when it is accepted now: not revoked, not expired. */
  bySecret(secret: string, now = Date.now()): ApiKeyInfo | undefined {
    const r = this.st.byHash.get(sha256(secret));
    if (!r || r.revoked_at !== null || (r.expires_at !== null && r.expires_at <= now)) return undefined;
    return toInfo(r);
  }

  /** By id or name (a live key before a revoked one of the same name). */
  byRef(ref: string): ApiKeyInfo | undefined {
    const r = this.st.byRef.get(ref, ref);
    return r && toInfo(r);
  }

  list(): ApiKeyInfo[] {
    return this.st.all.all().map(toInfo);
  }

  count(): number {
    return this.st.count.get()!.n;
  }

  touch(id: string, at: number): void {
    this.st.touch.run(at, id);
  }

  revoke(id: string): ApiKeyInfo {
    this.st.revoke.run(Date.now(), id);
    return this.byRef(id)!;
  }

  /** A new secret for a live key; the old one is refused from now on. */
  rotate(id: string): NewApiKey {
    const secret = newSecret();
    const r = this.st.rotate.run(sha256(secret), id);
    if (r.changes === 0) throw new LogharborError("LH_ERR_NOT_FOUND", `API key ${id}: no such live key (revoked keys cannot be rotated)`, { status: 404 });
    return { key: this.byRef(id)!, secret };
  }
}
