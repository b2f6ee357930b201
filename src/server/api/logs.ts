// POST /api/v1/logs {"name"} → 201 {"log":{id,name,token,created_at}}; GET /api/v1/logs → {"logs":[..., events]}.
import type { FastifyInstance } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { LogInfo, Store } from "../storage/store.js";

export interface LogJson {
  id: string;
  name: string;
  token: string;
  created_at: string;
  events?: number;
}

export function logJson(l: LogInfo): LogJson {
  return { id: l.id, name: l.name, token: l.token, created_at: new Date(l.createdAt).toISOString() };
}

export function validateLogName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    const got = typeof name === "string" ? `"${name.slice(0, 80)}"` : name === undefined ? "nothing" : `a ${typeof name}`;
    throw new LogharborError("LH_ERR_REQUEST", `name: expected 1 to 64 characters from A-Z a-z 0-9 . _ -, got ${got}`);
  }
  return name;
}

export function registerLogRoutes(app: FastifyInstance, store: Store): void {
  app.post("/api/v1/logs", async (req, reply) => {
    const body = req.body as { name?: unknown } | undefined;
    const name = validateLogName(body?.name);
    const log = store.createLog(name);
    req.log.info({ log: log.name, logId: log.id }, "created a log");
    return reply.status(201).send({ log: logJson(log) });
  });

  app.get("/api/v1/logs", async () => ({
    logs: store.listLogs().map((l) => ({ ...logJson(l), events: store.count(l.id) })),
  }));
}
