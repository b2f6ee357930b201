// POST /api/v1/logs {"name"} → 201 {"log":{id,name,token,created_at}}; GET /api/v1/logs → {"logs":[..., events]}.
// A log's token state: `token` is null once revoked (with token_revoked_at); previous_token_valid_until
// is set while a rotated-out token is still accepted (see log-tokens.ts for rotate and revoke).
import type { FastifyInstance } from "fastify";
import type { LogJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import { formatDuration } from "../../core/time.js";
import type { LogInfo, Store } from "../storage/store.js";
import { accessOf } from "./auth.js";
import { registerLogRetentionRoutes } from "./log-retention.js";
import { registerLogTokenRoutes } from "./log-tokens.js";
import { registerSavedQueryRoutes } from "./saved-queries.js";

/** A log as the API shows it; `showToken` false (a read-only caller) leaves its token out. */
export function logJson(l: LogInfo, showToken = true): LogJson {
  const j: LogJson = { id: l.id, name: l.name, created_at: new Date(l.createdAt).toISOString() };
  if (showToken) j.token = l.tokenRevokedAt === undefined ? l.token : null;
  if (l.tokenRevokedAt !== undefined) j.token_revoked_at = new Date(l.tokenRevokedAt).toISOString();
  if (l.previousTokenUntil !== undefined) j.previous_token_valid_until = new Date(l.previousTokenUntil).toISOString();
  if (l.retentionMs !== undefined) j.retention = l.retentionMs === 0 ? "forever" : formatDuration(l.retentionMs / 1000);
  return j;
}

export function validateLogName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    const got = typeof name === "string" ? `"${name.slice(0, 80)}"` : name === undefined ? "nothing" : `a ${typeof name}`;
    throw new LogharborError("LH_ERR_REQUEST", `name: expected 1 to 64 characters from A-Z a-z 0-9 . _ -, got ${got}`);
  }
  return name;
}

/** The logs, their tokens (log-tokens.ts), retention (log-retention.ts) and the saved queries (saved-queries.ts). */
export function registerLogRoutes(app: FastifyInstance, store: Store): void {
  registerLogTokenRoutes(app, store);
  registerLogRetentionRoutes(app, store);
  registerSavedQueryRoutes(app, store);
  app.post("/api/v1/logs", async (req, reply) => {
    const body = req.body as { name?: unknown } | undefined;
    const name = validateLogName(body?.name);
    const log = store.createLog(name);
    req.log.info({ log: log.name, logId: log.id }, "created a log");
    return reply.status(201).send({ log: logJson(log) });
  });

  // Ingest tokens are for writers: a read-only key sees the logs without them.
  app.get("/api/v1/logs", async (req) => {
    const show = accessOf(req).mayManage;
    return { logs: store.listLogs().map((l) => ({ ...logJson(l, show), events: store.count(l.id) })) };
  });
}
