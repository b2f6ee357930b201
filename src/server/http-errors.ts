// One error shape for every HTTP answer: {"error":{"code":"LH_ERR_...","message":"...","position":N?}}.
// LogharborErrors carry their own status; fastify's own 4xx errors become LH_ERR_REQUEST; anything
// else is a 500 LH_ERR_INTERNAL whose details stay in the server log.
import type { FastifyError, FastifyInstance } from "fastify";
import { LogharborError, isLogharborError } from "../core/errors.js";
import { pathOf } from "./logger.js";
import { storageErrorOf } from "./storage/storage-errors.js";

export function toLogharborError(err: unknown, requestId: string): LogharborError {
  if (isLogharborError(err)) return err;
  const storage = storageErrorOf(err);
  if (storage) return storage;
  const status = (err as FastifyError).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new LogharborError("LH_ERR_REQUEST", `request: ${(err as Error).message}`, { status });
  }
  return new LogharborError("LH_ERR_INTERNAL", `internal error; the server log has the details (request ${requestId})`, { status: 500 });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const e = toLogharborError(err, req.id);
    const fields = { method: req.method, path: pathOf(req.url), status: e.status, code: e.code };
    if (e.status >= 500) req.log.error({ ...fields, err }, "request failed");
    else req.log.info(fields, "request refused");
    if (e.status === 413) reply.header("connection", "close");
    return reply.status(e.status).send({ error: e.toJSON() });
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new LogharborError("LH_ERR_NOT_FOUND", `${req.method} ${pathOf(req.url)}: no such endpoint; the API lives under /api/v1/`, { status: 404 });
    return reply.status(404).send({ error: e.toJSON() });
  });
}
