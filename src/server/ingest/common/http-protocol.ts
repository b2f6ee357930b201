// What every other agent's HTTP protocol (OTLP, Loki, Elasticsearch) shares: its routes live in an
// encapsulated scope that reads any body as bytes up to bodyLimit, refuses at once (before reading
// the body) while the line protocols' write queue is full, and answers every error in the
// protocol's own shape (renderError) so each client understands it (retries a 503/429, gives up on
// a 4xx). Records go through the server's shared WriteQueue in batches per log (group commit) and
// a request is answered only once everything it carried is committed (EventBatcher.addAllAndWait).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { LogharborError } from "../../../core/errors.js";
import { toLogharborError } from "../../http-errors.js";
import { pathOf } from "../../logger.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { EventBatcher } from "./batcher.js";
import { IngestAuth } from "./ingest-auth.js";
import { DEFAULT_MAX_RECORD_BYTES } from "./record-text.js";
import { WriteQueue } from "./write-queue.js";

/** Default largest body, compressed and decompressed (as the agent's batch API). */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Requests of one protocol decoded or waiting for their commit at once; more are refused as overload. */
export const DEFAULT_MAX_REQUESTS_IN_FLIGHT = 16;

export interface HttpIngestDeps {
  store: Store;
  metrics: ServerMetrics;
  logger: Logger;
  /** The server's queue shared with the line protocols; default: one of its own. */
  queue?: WriteQueue;
  /** Shared by the protocols of one server (one token cache). */
  auth?: IngestAuth;
  /** Largest body, compressed and decompressed. */
  maxBodyBytes?: number;
  /** Longest message of one record (UTF-8 bytes); longer ones are truncated and flagged. */
  maxRecordBytes?: number;
  /** Requests of one protocol being decoded or waiting for their commit at once (bounds memory). */
  maxRequestsInFlight?: number;
}

export interface HttpProtocolScope {
  app: FastifyInstance;
  batcher: EventBatcher;
  auth: IngestAuth;
  queue: WriteQueue;
  maxBodyBytes: number;
  maxRecordBytes: number;
  /** Counts rejected records (or requests) of this protocol by reason. */
  reject(reason: string, n?: number): void;
  /**
   * Runs a request's work (decode, store, wait for the commit) counted among the requests in
   * flight; beyond the bound it throws LH_ERR_OVERLOADED at once.
   */
  bounded<T>(work: () => Promise<T>): Promise<T>;
  /** Counts an answered request. */
  ok(): void;
}

export interface HttpProtocolOptions {
  /** Metrics label and the name in messages: "otlp", "loki", "elasticsearch". */
  protocol: string;
  /** The status for "the queue is full, retry later": 503 (default) or 429. */
  overloadStatus?: number;
  /** Sends an error the way the protocol's clients read errors. */
  renderError(err: LogharborError, req: FastifyRequest, reply: FastifyReply): FastifyReply;
  /** Routes answered in the protocol's shape; POSTs are refused while the queue is full. */
  routes(scope: HttpProtocolScope): void;
}

export function registerHttpProtocol(app: FastifyInstance, deps: HttpIngestDeps, o: HttpProtocolOptions): void {
  const { metrics, logger } = deps;
  const protocol = o.protocol;
  const queue = deps.queue ?? new WriteQueue({ store: deps.store });
  const auth = deps.auth ?? new IngestAuth(deps.store);
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const batcher = new EventBatcher({ queue, metrics, logger, protocol });
  const reject = (reason: string, n = 1) => metrics.ingestLines.inc({ protocol, result: "rejected", reason }, n);
  const overloaded = (why: string) =>
    new LogharborError("LH_ERR_OVERLOADED", `${protocol}: ${why}; retry after 1 s`, { status: o.overloadStatus ?? 503 });
  const maxInFlight = deps.maxRequestsInFlight ?? DEFAULT_MAX_REQUESTS_IN_FLIGHT;
  let inFlight = 0;
  const bounded = async <T>(work: () => Promise<T>): Promise<T> => {
    if (inFlight >= maxInFlight) {
      reject("overloaded");
      throw overloaded(`${inFlight} requests are being stored already (at most ${maxInFlight})`);
    }
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };
  // Requests still waiting for their commit finish before the app closes; this stores what they gave.
  app.addHook("onClose", async () => batcher.drain());
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: maxBodyBytes }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err, req, reply) => {
      const e = toLogharborError(err, req.id);
      const fields = { protocol, method: req.method, path: pathOf(req.url), status: e.status, code: e.code };
      if (e.status >= 500 && e.code !== "LH_ERR_OVERLOADED") req.log.error({ ...fields, err }, "request failed");
      else req.log.info({ ...fields, message: e.message }, "request refused");
      if (e.status === 413) reply.header("connection", "close");
      if (e.code === "LH_ERR_OVERLOADED") reply.header("retry-after", "1");
      metrics.ingestBatches.inc({ protocol, result: "error" });
      return o.renderError(e, req, reply);
    });
    scope.addHook("onRequest", async (req, reply) => {
      if (req.method !== "POST" || !queue.full) return;
      reject("overloaded");
      reply.header("connection", "close").header("retry-after", "1");
      return o.renderError(overloaded(`${queue.queuedBytes} bytes of records are waiting to be stored (at most ${queue.maxQueuedBytes})`), req, reply);
    });
    const ok = () => metrics.ingestBatches.inc({ protocol, result: "ok" });
    o.routes({ app: scope, batcher, auth, queue, maxBodyBytes, maxRecordBytes: deps.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, reject, bounded, ok });
  });
}

/** The request body as bytes (empty when there was none). */
export function bodyBytes(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** The media type of a request, lower case, without parameters ("" when absent). */
export function mediaType(req: FastifyRequest): string {
  const ct = req.headers["content-type"];
  return (ct ?? "").split(";")[0]!.trim().toLowerCase();
}
