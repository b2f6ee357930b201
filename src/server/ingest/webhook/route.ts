// The Logentries HTTP endpoints:
//   POST /v1/logs/{token}        the JavaScript endpoint: a JSON event; its keys become fields.
//   POST /noformat/logs/{token}  the webhook endpoint: any body; parsed as JSON when it is JSON.
// One request = one event, stored (committed) before the answer: 204. Unknown token: 403.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { LogharborError } from "../../../core/errors.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { lineEvent, peerHost } from "../common/line-event.js";
import { TokenResolver } from "../common/token-resolver.js";

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const RESERVED = new Set(["MESSAGE", "_TRANSPORT", "_HOSTNAME", "__proto__"]);

export interface WebhookOptions {
  store: Store;
  metrics: ServerMetrics;
}

function jsonOf(text: string): unknown {
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function registerWebhookIngest(app: FastifyInstance, opts: WebhookOptions): void {
  const tokens = new TokenResolver(opts.store);
  void app.register(async (hooks) => {
    // Any content type, read as bytes: webhook senders label their bodies in many ways.
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));

    const handle = (protocol: string, requireJson: boolean) => async (req: FastifyRequest<{ Params: { token: string } }>, reply: import("fastify").FastifyReply) => {
      const reject = (reason: string) => opts.metrics.ingestLines.inc({ protocol, result: "rejected", reason });
      const log = tokens.resolve(req.params.token);
      if (!log) {
        reject("token_unknown");
        throw new LogharborError("LH_ERR_TOKEN_UNKNOWN", "ingest: the token in the URL is not the ingest token of any log; `logharbor logs list` shows the tokens", { status: 403 });
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const text = body.toString("utf8").replace(/\r?\n$/, "");
      if (text.trim() === "") {
        reject("empty");
        throw new LogharborError("LH_ERR_BATCH", "ingest: the request body is empty; send the event as the body");
      }
      const json = jsonOf(text);
      if (requireJson && (json === undefined || json === null || typeof json !== "object")) {
        reject("malformed");
        throw new LogharborError("LH_ERR_BATCH", "ingest: expected a JSON object as the body (the Logentries JS endpoint), got text that is not JSON; POST /noformat/logs/TOKEN takes any body");
      }
      const fields: Record<string, unknown> = {};
      if (json !== null && typeof json === "object" && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json as Record<string, unknown>)) if (!RESERVED.has(k) && k.length <= 128) fields[k] = v;
      }
      const ev = lineEvent({ message: text, host: peerHost(req.socket.remoteAddress), transport: protocol, fields });
      await opts.store.insertAsync(log.id, [ev]);
      opts.metrics.ingestLines.inc({ protocol, result: "accepted", reason: "ok" });
      return reply.status(204).send();
    };
    hooks.post("/v1/logs/:token", handle("webhook-js", true));
    hooks.post("/noformat/logs/:token", handle("webhook", false));
  });
}
