// A log's own retention ({log} is the log's name or id):
//   PUT /api/v1/logs/{log}/retention {"retention": "7d"}  → 200 {"log": {... "retention": "7d" ...}}
//     "12h", "30d", "2w" (at least 1h): events older than that are deleted (at most a minute later);
//     "forever": the log keeps everything; "default" or null: the server's (serve --retention).
// Read-write API keys only (the auth hook refuses PUT with a read-only key).
import type { FastifyInstance } from "fastify";
import { LogharborError } from "../../core/errors.js";
import { retentionMsOf } from "../storage/retention.js";
import type { Store } from "../storage/store.js";
import { logOf } from "./log-tokens.js";
import { logJson } from "./logs.js";

/** "forever" or "0" → 0, "default" or null → null, a duration of at least 1h → ms; otherwise an error naming the forms. */
export function retentionOf(v: unknown): number | null {
  if (v === null || v === "default") return null;
  if (v === "forever" || v === "0" || v === 0) return 0;
  const ms = typeof v === "string" ? retentionMsOf(v) : undefined;
  if (ms === undefined) {
    throw new LogharborError("LH_ERR_REQUEST", `retention: expected a duration of at least 1h such as "12h", "30d" or "2w", "forever", or "default" (the server's), got ${JSON.stringify(v)}`);
  }
  return ms;
}

export function registerLogRetentionRoutes(app: FastifyInstance, store: Store): void {
  app.put("/api/v1/logs/:log/retention", async (req) => {
    const log = logOf(store, req);
    const body = req.body;
    if (body === null || typeof body !== "object" || Array.isArray(body) || !("retention" in body)) {
      throw new LogharborError("LH_ERR_REQUEST", 'body: expected a JSON object such as {"retention":"30d"}');
    }
    const retentionMs = retentionOf((body as { retention: unknown }).retention);
    const updated = store.setRetention(log.id, retentionMs);
    req.log.info({ log: log.name, logId: log.id, retentionMs }, "set a log's retention");
    return { log: logJson(updated) };
  });
}
