// The Elasticsearch bulk API, as log shippers use it (Filebeat, Fluent Bit's es output, Vector's
// elasticsearch sink, Logstash, the official clients' bulk helpers): POST /_bulk and
// POST /{index}/_bulk (NDJSON, gzip or not), also under /elasticsearch/ for a client pointed at a
// path; GET / (answered in app.ts for Elasticsearch clients, see cluster-root.ts) and
// GET /elasticsearch/. The log: its ingest token (common/ingest-auth.ts) as a Bearer token, the
// password of basic auth, or an ApiKey. The answer, once every stored document is committed, is
// the bulk response clients check: {"took","errors","items":[{"create":{"_index","_id","status":201,...}}]},
// a failed item with its status and error. Errors of the whole request in Elasticsearch's shape
// (with our code beside): 400, 401 / 403 (security_exception), 413, 503 + Retry-After (retried).
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { NewEvent } from "../../storage/store.js";
import { decodedBody } from "../common/http-body.js";
import { bodyBytes, registerHttpProtocol, type HttpIngestDeps } from "../common/http-protocol.js";
import { peerHost } from "../common/line-event.js";
import { RecordEvents } from "../common/record-events.js";
import { parseBulk } from "./bulk-parse.js";
import { clusterRoot, sendEs } from "./cluster-root.js";
import { fieldOptionsOf } from "./field-options.js";
import { documentEvent, TRANSPORT } from "./to-event.js";

const PROTOCOL = "elasticsearch";

function errorType(status: number): string {
  if (status === 401 || status === 403) return "security_exception";
  if (status === 413) return "content_too_long_exception";
  if (status === 503 || status === 429) return "es_rejected_execution_exception";
  return status >= 500 ? "exception" : "parse_exception";
}

/** Ids like Elasticsearch's (20 URL-safe base64 characters): a random prefix per request, then a counter. */
function idMaker(): () => string {
  const prefix = randomBytes(9).toString("base64url");
  let n = 0;
  return () => prefix + (n++).toString(36).padStart(8, "0");
}

export function registerElasticsearchIngest(app: FastifyInstance, deps: HttpIngestDeps): void {
  registerHttpProtocol(app, deps, {
    protocol: PROTOCOL,
    renderError(e, _req, reply) {
      const type = errorType(e.status);
      const cause = { type, reason: e.message };
      if (e.status === 401) reply.header("www-authenticate", 'Basic realm="logharbor", charset="UTF-8"');
      return sendEs(reply, e.status, { error: { root_cause: [cause], ...cause, code: e.code, message: e.message }, status: e.status });
    },
    routes(s) {
      const bulk = async (req: import("fastify").FastifyRequest<{ Params: { index?: string } }>, reply: import("fastify").FastifyReply) => {
        const started = Date.now();
        const log = s.auth.logOf(req, PROTOCOL);
        return s.bounded(async () => {
          const body = await decodedBody(PROTOCOL, bodyBytes(req), req.headers["content-encoding"], s.maxBodyBytes);
          let items;
          try {
            items = parseBulk(body);
          } catch (e) {
            s.reject("malformed");
            throw e;
          }
          const opts = fieldOptionsOf(req);
          const peer = peerHost(req.socket.remoteAddress);
          const nowUs = Date.now() * 1000;
          const make = new RecordEvents(TRANSPORT);
          const events: NewEvent[] = [];
          const bytes: number[] = [];
          for (const it of items) {
            if (it.doc === undefined) continue;
            const ev = documentEvent(it.doc, it.raw, it.index ?? req.params.index ?? log.name, opts, { peer, maxRecordBytes: s.maxRecordBytes, nowUs, make });
            events.push(ev);
            bytes.push(it.raw.length);
          }
          const failed = items.length - events.length;
          if (failed > 0) s.reject("malformed", failed);
          await s.batcher.addAllAndWait(log.id, events.map((ev, i) => ({ ev, bytes: bytes[i]! })));
          s.ok();
          let seq = 0;
          const newId = idMaker();
          const results = items.map((it) => {
            const _index = it.index ?? req.params.index ?? log.name;
            const _id = it.id ?? newId();
            if (it.error) return { [it.op]: { _index, _id, status: 400, error: it.error } };
            return { [it.op]: { _index, _id, _version: 1, result: "created", _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: seq++, _primary_term: 1, status: 201 } };
          });
          return sendEs(reply, 200, { took: Date.now() - started, errors: failed > 0, items: results });
        });
      };
      for (const prefix of ["", "/elasticsearch"]) {
        s.app.post(`${prefix}/_bulk`, bulk);
        s.app.put(`${prefix}/_bulk`, bulk);
        s.app.post(`${prefix}/:index/_bulk`, bulk);
        s.app.put(`${prefix}/:index/_bulk`, bulk);
      }
      // Beats ask for the license when they connect; a basic one, always active.
      const license = { license: { status: "active", uid: "logharbor", type: "basic", issue_date_in_millis: 0, max_nodes: 1000, issued_to: "logharbor", issuer: "logharbor", start_date_in_millis: -1 } };
      for (const prefix of ["", "/elasticsearch"]) s.app.get(`${prefix}/_license`, async (_req, reply) => sendEs(reply, 200, license));
      s.app.get("/elasticsearch", async (_req, reply) => sendEs(reply, 200, clusterRoot()));
      s.app.get("/elasticsearch/", async (_req, reply) => sendEs(reply, 200, clusterRoot()));
    },
  });
}
