// The ingest token of a request: "Authorization: Bearer TOKEN", else ?token=TOKEN. Never log it.
import type { FastifyRequest } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { LogInfo, Store } from "../storage/store.js";

export function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const q = (req.query as Record<string, unknown> | undefined)?.["token"];
  return typeof q === "string" && q !== "" ? q : undefined;
}

/** The log a request's token belongs to; 401 when no token is given, 403 when it is unknown. */
export function logOfRequest(req: FastifyRequest, store: Store): LogInfo {
  const token = tokenOf(req);
  if (token === undefined) {
    throw new LogharborError("LH_ERR_TOKEN_MISSING", "ingest: no token; send the log's ingest token as `Authorization: Bearer TOKEN` or ?token=TOKEN", { status: 401 });
  }
  const log = store.logByToken(token);
  if (!log) {
    throw new LogharborError("LH_ERR_TOKEN_UNKNOWN", "ingest: the token is not the ingest token of any log; `logharbor logs list` shows the tokens", { status: 403 });
  }
  return log;
}
