// The ingest token of a request: "Authorization: Bearer TOKEN", a basic-auth password, else
// ?token=TOKEN (the rule of every HTTP protocol: common/ingest-auth.ts). Never log it.
import type { FastifyRequest } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { LogInfo, Store } from "../storage/store.js";
import { tokenOfRequest } from "./common/ingest-auth.js";

export function tokenOf(req: FastifyRequest): string | undefined {
  return tokenOfRequest(req.headers, req.query);
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
