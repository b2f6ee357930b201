// API keys (admin keys only, or a keyless caller on a loopback listener; see auth.ts):
//   POST /api/v1/keys {"read_only","admin","name","expires"} → 201 {"key":{...,"secret"}} (the secret is shown once)
//   GET /api/v1/keys → {"keys":[...]} (never a secret)
//   POST /api/v1/keys/{ref}/revoke → 200 {"key":{...,"revoked_at"}}: refused from now on
//   POST /api/v1/keys/{ref}/rotate → 200 {"key":{...,"secret"}}: a new secret, the old one refused at once;
//     when the key is the one in DATA_DIR/admin-api-key, that file gets the new secret.
// {ref}: the key's id or name.
import type { FastifyInstance } from "fastify";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyInfoJson, KeyJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import { durationSeconds, parseTimeUs } from "../../core/time.js";
import { ADMIN_KEY_FILE } from "../admin-key.js";
import type { ApiKeyInfo, Store } from "../storage/store.js";

const iso = (ms: number) => new Date(ms).toISOString();

export function keyInfoJson(k: ApiKeyInfo): KeyInfoJson {
  const j: KeyInfoJson = { id: k.id, name: k.name, role: k.admin ? "admin" : k.readOnly ? "read-only" : "read-write", read_only: k.readOnly, created_at: iso(k.createdAt) };
  if (k.expiresAt !== undefined) j.expires_at = iso(k.expiresAt);
  if (k.lastUsedAt !== undefined) j.last_used_at = iso(k.lastUsedAt);
  if (k.revokedAt !== undefined) j.revoked_at = iso(k.revokedAt);
  return j;
}

function bool(v: unknown, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw new LogharborError("LH_ERR_REQUEST", `${name}: expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

function keyName(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(v)) {
    throw new LogharborError("LH_ERR_REQUEST", `name: expected 1 to 64 characters from A-Z a-z 0-9 . _ -, got ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return v;
}

/** "expires": a time in the future (ISO-8601, epoch ms) or a duration from now ("30d", "12h"). */
function expiry(v: unknown, now: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  const text = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : undefined;
  const bad = () => new LogharborError("LH_ERR_REQUEST", `expires: expected a duration from now (30d, 12h, 2w) or a future time (ISO-8601 or epoch ms), got ${JSON.stringify(v)?.slice(0, 80)}`);
  if (text === undefined || text === "") throw bad();
  let at: number;
  const seconds = durationSeconds(text);
  if (seconds !== undefined) at = now + seconds * 1000;
  else {
    try {
      at = Math.floor(parseTimeUs(text, { label: "expires", now: now * 1000 }) / 1000);
    } catch {
      throw bad();
    }
  }
  if (!(at > now)) throw bad();
  return at;
}

function found(store: Store, ref: string): ApiKeyInfo {
  const k = store.apiKey(ref);
  if (!k) throw new LogharborError("LH_ERR_NOT_FOUND", `API key "${ref.slice(0, 80)}": no key with this id or name; \`logharbor keys list\` shows them`, { status: 404 });
  return k;
}

export function registerKeyRoutes(app: FastifyInstance, store: Store, opts: { dataDir?: string } = {}): void {
  const admin = { config: { admin: true } };
  app.post("/api/v1/keys", admin, async (req, reply) => {
    const body = (req.body ?? {}) as { read_only?: unknown; admin?: unknown; name?: unknown; expires?: unknown };
    const readOnly = bool(body.read_only, "read_only");
    const isAdmin = bool(body.admin, "admin");
    if (readOnly && isAdmin) throw new LogharborError("LH_ERR_REQUEST", "read_only and admin: a key is one or the other, got both true");
    const name = keyName(body.name);
    const expiresAt = expiry(body.expires, Date.now());
    const { key, secret } = store.createApiKey({ readOnly, admin: isAdmin, ...(name !== undefined ? { name } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) });
    req.log.info({ keyId: key.id, name: key.name, readOnly, admin: isAdmin }, "created an API key");
    const json: KeyJson = { ...keyInfoJson(key), secret };
    return reply.status(201).send({ key: json });
  });

  app.get("/api/v1/keys", admin, async () => ({ keys: store.listApiKeys().map(keyInfoJson) }));

  app.post<{ Params: { ref: string } }>("/api/v1/keys/:ref/revoke", admin, async (req) => {
    const k = found(store, req.params.ref);
    const revoked = store.revokeApiKey(k.id);
    req.log.info({ keyId: k.id, name: k.name }, "revoked an API key");
    return { key: keyInfoJson(revoked) };
  });

  app.post<{ Params: { ref: string } }>("/api/v1/keys/:ref/rotate", admin, async (req) => {
    const k = found(store, req.params.ref);
    if (k.revokedAt !== undefined) throw new LogharborError("LH_ERR_REQUEST", `API key "${k.name}": revoked keys cannot be rotated; create a new key`);
    const file = opts.dataDir !== undefined ? join(opts.dataDir, ADMIN_KEY_FILE) : undefined;
    let fileKey: ApiKeyInfo | undefined;
    try {
      if (file !== undefined) fileKey = store.apiKeyBySecret(readFileSync(file, "utf8").trim());
    } catch {
      fileKey = undefined;
    }
    const { key, secret } = store.rotateApiKey(k.id);
    if (file !== undefined && fileKey?.id === k.id) writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    req.log.info({ keyId: k.id, name: k.name, ...(fileKey?.id === k.id ? { file } : {}) }, "rotated an API key");
    const json: KeyJson = { ...keyInfoJson(key), secret };
    return { key: json };
  });
}
