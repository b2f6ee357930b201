// POST /loki/api/v1/push — the Loki push API (Promtail, Grafana Alloy, Vector's and Fluent Bit's
// loki outputs, the Docker Loki driver, winston-loki, pino-loki): protobuf + snappy or JSON (gzip
// or not). The log: its ingest token (common/ingest-auth.ts), also as X-Scope-OrgID, Loki's
// tenant. 204 once every entry is committed; errors as Loki answers them, text with the status its
// clients act on: 400 (not retried), 401/403, 413, 415, 503 + Retry-After (retried).
import type { FastifyInstance } from "fastify";
import { LogharborError } from "../../../core/errors.js";
import { decodedBody } from "../common/http-body.js";
import { bodyBytes, mediaType, registerHttpProtocol, type HttpIngestDeps } from "../common/http-protocol.js";
import { peerHost } from "../common/line-event.js";
import { decodeLokiJson, decodeLokiProtobuf } from "./decode.js";
import { lokiEvents } from "./to-events.js";

const PROTOCOL = "loki";

export function registerLokiIngest(app: FastifyInstance, deps: HttpIngestDeps): void {
  registerHttpProtocol(app, deps, {
    protocol: PROTOCOL,
    renderError(e, _req, reply) {
      return reply.status(e.status).type("text/plain; charset=utf-8").send(`${e.code}: ${e.message}\n`);
    },
    routes(s) {
      s.app.post("/loki/api/v1/push", async (req, reply) => {
        const log = s.auth.logOf(req, PROTOCOL, { tenantHeader: "x-scope-orgid" });
        const type = mediaType(req);
        if (type !== "" && type !== "application/x-protobuf" && type !== "application/json") {
          s.reject("malformed");
          throw new LogharborError("LH_ERR_BATCH", `loki: Content-Type: expected application/x-protobuf (snappy-compressed) or application/json, got "${req.headers["content-type"]}"`, { status: 415 });
        }
        return s.bounded(async () => {
          const body = await decodedBody(PROTOCOL, bodyBytes(req), req.headers["content-encoding"], s.maxBodyBytes);
          let streams;
          try {
            streams = type === "application/json" ? decodeLokiJson(body) : decodeLokiProtobuf(body, s.maxBodyBytes);
          } catch (e) {
            s.reject("malformed");
            throw e;
          }
          const r = lokiEvents(streams, { peer: peerHost(req.socket.remoteAddress), maxRecordBytes: s.maxRecordBytes });
          await s.batcher.addAllAndWait(log.id, r.events.map((ev, i) => ({ ev, bytes: r.bytes[i]! })));
          s.ok();
          return reply.status(204).send();
        });
      });
    },
  });
}
