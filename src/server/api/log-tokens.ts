// Rotating and revoking a log's ingest token ({log} is the log's name or id):
//   POST /api/v1/logs/{log}/token/rotate {"grace_seconds": 900}  → 200 {"log": {... the new token ...}}
//     The old token stays accepted for grace_seconds (default 900, 0 to 604800; 0 = refused at once),
//     so agents can be moved to the new token without losing lines; then it is refused.
//   POST /api/v1/logs/{log}/token/revoke {"previous_only": false} → 200 {"log": {... "token": null ...}}
//     Every token of the log is refused at once on every ingest protocol, until the next rotation;
//     with previous_only only the rotated-out tokens still in their grace period are.
// Read-write API keys only (the auth hook refuses POST with a read-only key). Tokens are never logged.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { LogInfo, Store } from "../storage/store.js";
import { logJson } from "./logs.js";

export const DEFAULT_GRACE_SECONDS = 900;
/** 7 days. */
export const MAX_GRACE_SECONDS = 7 * 86_400;

/** The log named by the {log} path parameter (its name or id), or 404. */
export function logOf(store: Store, req: FastifyRequest): LogInfo {
  const ref = (req.params as { log: string }).log;
  const log = store.logById(ref) ?? store.logByName(ref);
  if (!log) throw new LogharborError("LH_ERR_LOG_NOT_FOUND", `log "${ref.slice(0, 80)}": no log with this name or id; \`logharbor logs list\` (GET /api/v1/logs) lists them`, { status: 404 });
  return log;
}

function bodyOf(req: FastifyRequest, example: string): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null || b === "") return {};
  if (typeof b !== "object" || Array.isArray(b)) throw new LogharborError("LH_ERR_REQUEST", `body: expected a JSON object such as ${example}, or no body`);
  return b as Record<string, unknown>;
}

export function graceSeconds(v: unknown): number {
  if (v === undefined || v === null) return DEFAULT_GRACE_SECONDS;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_GRACE_SECONDS) {
    throw new LogharborError("LH_ERR_REQUEST", `grace_seconds: expected an integer from 0 to ${MAX_GRACE_SECONDS} (7 days), got ${JSON.stringify(v)}`);
  }
  return v;
}

export function registerLogTokenRoutes(app: FastifyInstance, store: Store): void {
  app.post("/api/v1/logs/:log/token/rotate", async (req) => {
    const log = logOf(store, req);
    const grace = graceSeconds(bodyOf(req, '{"grace_seconds":900}')["grace_seconds"]);
    const rotated = store.rotateToken(log.id, grace * 1000);
    req.log.info({ log: log.name, logId: log.id, graceSeconds: grace, wasRevoked: log.tokenRevokedAt !== undefined }, "rotated a log's ingest token");
    return { log: logJson(rotated) };
  });

  app.post("/api/v1/logs/:log/token/revoke", async (req) => {
    const log = logOf(store, req);
    const previousOnly = bodyOf(req, '{"previous_only":true}')["previous_only"] ?? false;
    if (typeof previousOnly !== "boolean") {
      throw new LogharborError("LH_ERR_REQUEST", `previous_only: expected true or false, got ${JSON.stringify(previousOnly)}`);
    }
    const revoked = store.revokeToken(log.id, { previousOnly });
    req.log.info({ log: log.name, logId: log.id, previousOnly }, previousOnly ? "revoked a log's previous ingest tokens" : "revoked a log's ingest tokens");
    return { log: logJson(revoked) };
  });
}
