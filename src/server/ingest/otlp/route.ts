// POST /v1/logs — OTLP/HTTP logs (the OpenTelemetry SDKs' and collector's otlphttp exporter):
// protobuf or JSON, gzip or not. The log: its ingest token (common/ingest-auth.ts). Answers, in the
// request's encoding, an ExportLogsServiceResponse once every stored record is committed, with
// partial_success when some records were rejected (to-events.ts); errors as a google.rpc.Status
// with the HTTP status OTLP clients act on: 400 bad data (not retried), 401/403 token, 413 too
// large, 415 unknown Content-Type, 503 + Retry-After while the server is busy (retried).
// (/v1/logs/{token} is the Logentries JS endpoint, webhook/route.ts.)
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { LogharborError } from "../../../core/errors.js";
import { decodedBody } from "../common/http-body.js";
import { bodyBytes, mediaType, registerHttpProtocol, type HttpIngestDeps } from "../common/http-protocol.js";
import { peerHost } from "../common/line-event.js";
import { decodeOtlpRequest, otlpEncodingOf, type OtlpEncoding } from "./decode.js";
import { ExportLogsServiceResponse, RpcStatus } from "./schema.js";
import { otlpEvents } from "./to-events.js";

const PROTOCOL = "otlp";

/** gRPC status codes for the Status body. */
function rpcCode(status: number): number {
  if (status === 401) return 16; // UNAUTHENTICATED
  if (status === 403) return 7; // PERMISSION_DENIED
  if (status === 413) return 8; // RESOURCE_EXHAUSTED
  if (status === 503 || status === 429) return 14; // UNAVAILABLE
  if (status >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}

function encodingOfReply(req: FastifyRequest): OtlpEncoding {
  return otlpEncodingOf(mediaType(req)) ?? "json";
}

function send(reply: FastifyReply, encoding: OtlpEncoding, status: number, json: object, proto: Uint8Array): FastifyReply {
  if (encoding === "protobuf") return reply.status(status).type("application/x-protobuf").send(Buffer.from(proto));
  return reply.status(status).type("application/json").send(JSON.stringify(json));
}

export function registerOtlpIngest(app: FastifyInstance, deps: HttpIngestDeps): void {
  registerHttpProtocol(app, deps, {
    protocol: PROTOCOL,
    renderError(e, req, reply) {
      const message = `${e.code}: ${e.message}`;
      const status = { code: rpcCode(e.status), message };
      return send(reply, encodingOfReply(req), e.status, status, RpcStatus.encode(RpcStatus.create(status)).finish());
    },
    routes(s) {
      s.app.post("/v1/logs", async (req, reply) => {
        const log = s.auth.logOf(req, PROTOCOL);
        const encoding = otlpEncodingOf(mediaType(req));
        if (encoding === undefined) {
          s.reject("malformed");
          throw new LogharborError("LH_ERR_BATCH", `otlp: Content-Type: expected application/x-protobuf or application/json, got "${req.headers["content-type"] ?? ""}"`, { status: 415 });
        }
        return s.bounded(async () => {
          const body = await decodedBody(PROTOCOL, bodyBytes(req), req.headers["content-encoding"], s.maxBodyBytes);
          const r = otlpEvents(decodeOtlpRequest(body, encoding), { peer: peerHost(req.socket.remoteAddress), maxRecordBytes: s.maxRecordBytes });
          if (r.rejected > 0) s.reject("malformed", r.rejected);
          await s.batcher.addAllAndWait(log.id, r.events.map((ev, i) => ({ ev, bytes: r.bytes[i]! })));
          s.ok();
          const partial = r.rejected > 0
            ? { rejectedLogRecords: r.rejected, errorMessage: `${r.rejected} log records rejected; the first: ${r.firstError}` }
            : undefined;
          const json = partial ? { partialSuccess: { ...partial, rejectedLogRecords: String(partial.rejectedLogRecords) } } : {};
          const proto = ExportLogsServiceResponse.encode(ExportLogsServiceResponse.create(partial ? { partialSuccess: partial } : {})).finish();
          return send(reply, encoding, 200, json, proto);
        });
      });
    },
  });
}
