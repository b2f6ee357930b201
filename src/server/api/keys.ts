// POST /api/v1/keys {"read_only": bool} → 201 {"key":{id,secret,read_only}}. The secret is shown once.
import type { FastifyInstance } from "fastify";
import type { KeyJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import type { Store } from "../storage/store.js";

export function registerKeyRoutes(app: FastifyInstance, store: Store): void {
  app.post("/api/v1/keys", async (req, reply) => {
    const body = (req.body ?? {}) as { read_only?: unknown };
    const readOnly = body.read_only ?? false;
    if (typeof readOnly !== "boolean") {
      throw new LogharborError("LH_ERR_REQUEST", `read_only: expected true or false, got ${JSON.stringify(readOnly)}`);
    }
    const { key, secret } = store.createApiKey(readOnly);
    req.log.info({ keyId: key.id, readOnly }, "created an API key");
    const json: KeyJson = { id: key.id, secret, read_only: key.readOnly };
    return reply.status(201).send({ key: json });
  });
}
