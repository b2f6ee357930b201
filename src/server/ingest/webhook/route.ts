// The Logentries HTTP endpoints:
//   POST /v1/logs/{token}        the JavaScript endpoint: a JSON event; its keys become fields.
//   POST /noformat/logs/{token}  the webhook endpoint: any body; parsed as JSON when it is JSON.
// One request = one event, stored (committed) before the answer: 204. Unknown token: 403.
// A body with Content-Encoding gzip or deflate is decompressed, to at most WEBHOOK_BODY_LIMIT
// (413 beyond, naming it); JSON nested deeper than MAX_JSON_DEPTH: 400; /v1/logs takes an object only.
// Events of concurrent requests share transactions (group commit through the server's WriteQueue,
// with the other line protocols); when that queue is full: 503 with Retry-After, before the body is
// read.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { gunzipSync, inflateSync } from "node:zlib";
import type { Logger } from "pino";
import { LogharborError } from "../../../core/errors.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { EventBatcher } from "../common/batcher.js";
import { jsonDepth, MAX_JSON_DEPTH } from "../common/json-depth.js";
import { lineEvent, peerHost } from "../common/line-event.js";
import { TokenResolver } from "../common/token-resolver.js";
import { WriteQueue } from "../common/write-queue.js";

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
const RESERVED = new Set(["MESSAGE", "_TRANSPORT", "_HOSTNAME", "__proto__"]);

export interface WebhookOptions {
  store: Store;
  metrics: ServerMetrics;
  logger: Logger;
  /** The server's queue shared with the other line protocols; default: one of its own. */
  queue?: WriteQueue;
}

const PROTOCOLS = ["webhook-js", "webhook"] as const;

function jsonOf(text: string): unknown {
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new LogharborError("LH_ERR_BATCH", `ingest: the JSON body nests ${depth} levels deep, more than the limit of ${MAX_JSON_DEPTH}; nothing was stored`);
  }
  return v;
}

/** The body as sent, decompressed (bounded) when it says Content-Encoding gzip or deflate. */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  const enc = (encoding ?? "identity").trim().toLowerCase();
  if (enc === "identity" || enc === "") return body;
  const inflate = enc === "gzip" || enc === "x-gzip" ? gunzipSync : enc === "deflate" ? inflateSync : undefined;
  if (!inflate) throw new LogharborError("LH_ERR_BATCH", `ingest: Content-Encoding: expected gzip, deflate or identity, got "${encoding}"`, { status: 415 });
  try {
    return inflate(body, { maxOutputLength: WEBHOOK_BODY_LIMIT });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new LogharborError("LH_ERR_BATCH_TOO_LARGE", `ingest: the body decompresses to more than the limit of ${WEBHOOK_BODY_LIMIT} bytes; nothing was stored`, { status: 413 });
    }
    throw new LogharborError("LH_ERR_BATCH", `ingest: the body is not valid ${enc} data (${(e as Error).message}); nothing was stored`);
  }
}

export function registerWebhookIngest(app: FastifyInstance, opts: WebhookOptions): void {
  const tokens = new TokenResolver(opts.store);
  const queue = opts.queue ?? new WriteQueue({ store: opts.store });
  const batchers = new Map(PROTOCOLS.map((protocol) => [protocol, new EventBatcher({ queue, metrics: opts.metrics, logger: opts.logger, protocol })]));
  // Requests still waiting for their commit finish before the app closes; this stores what they gave.
  app.addHook("onClose", async () => {
    await Promise.all([...batchers.values()].map((b) => b.drain()));
  });
  void app.register(async (hooks) => {
    // Any content type, read as bytes: webhook senders label their bodies in many ways.
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    hooks.addHook("onRequest", async (req, reply) => {
      if (!queue.full) return;
      const protocol = req.url.startsWith("/v1/") ? "webhook-js" : "webhook";
      const storeFault = queue.storeFault;
      if (storeFault !== undefined) {
        opts.metrics.ingestLines.inc({ protocol, result: "rejected", reason: "store_error" });
        throw storeFault;
      }
      opts.metrics.ingestLines.inc({ protocol, result: "rejected", reason: "overloaded" });
      reply.header("connection", "close");
      return reply
        .code(503)
        .header("retry-after", "1")
        .send({ error: { code: "LH_ERR_OVERLOADED", message: `ingest: ${queue.queuedBytes} bytes of lines are waiting to be stored (at most ${queue.maxQueuedBytes}); retry after 1 s` } });
    });

    const handle = (protocol: (typeof PROTOCOLS)[number], requireJson: boolean) => async (req: FastifyRequest<{ Params: { token: string } }>, reply: import("fastify").FastifyReply) => {
      const reject = (reason: string) => opts.metrics.ingestLines.inc({ protocol, result: "rejected", reason });
      const log = tokens.resolve(req.params.token);
      if (!log) {
        reject("token_unknown");
        throw new LogharborError("LH_ERR_TOKEN_UNKNOWN", "ingest: the token in the URL is not the ingest token of any log; `logharbor logs list` shows the tokens", { status: 403 });
      }
      const body = decoded(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.headers["content-encoding"]);
      const text = body.toString("utf8").replace(/\r?\n$/, "");
      if (text.trim() === "") {
        reject("empty");
        throw new LogharborError("LH_ERR_BATCH", "ingest: the request body is empty; send the event as the body");
      }
      let json: unknown;
      try {
        json = jsonOf(text);
      } catch (e) {
        reject("malformed");
        throw e;
      }
      if (requireJson && (json === undefined || json === null || typeof json !== "object" || Array.isArray(json))) {
        reject("malformed");
        throw new LogharborError("LH_ERR_BATCH", `ingest: expected a JSON object as the body (the Logentries JS endpoint), got ${Array.isArray(json) ? "a JSON array" : "text that is not a JSON object"}; POST /noformat/logs/TOKEN takes any body`);
      }
      const fields: Record<string, unknown> = {};
      if (json !== null && typeof json === "object" && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json as Record<string, unknown>)) if (!RESERVED.has(k) && k.length <= 128) fields[k] = v;
      }
      const ev = lineEvent({ message: text, host: peerHost(req.socket.remoteAddress), transport: protocol, fields });
      // Counted (accepted) by the batcher after the commit.
      await batchers.get(protocol)!.addAndWait(log.id, ev, body.length);
      return reply.status(204).send();
    };
    hooks.post("/v1/logs/:token", handle("webhook-js", true));
    hooks.post("/noformat/logs/:token", handle("webhook", false));
  });
}
