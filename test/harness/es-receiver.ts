// A receiver for the Elasticsearch _bulk API as documented (POST /_bulk, NDJSON action/document
// pairs; 200 with {"took","errors","items":[{"create":{"_index","_id","status",...}}]}), with its
// per-item errors: 409 version_conflict_engine_exception for a `create` whose _id exists,
// 429 es_rejected_execution_exception for the next items given to `rejectItems(n)`, 400
// mapper_parsing_exception for a document whose message is "MAPPING ERROR". `failNext(status, n)`
// answers whole requests with an error status. Real Elasticsearch is not available here.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface EsReceiver {
  url: string;
  /** index → _id (or a generated one) → document. */
  indices: Map<string, Map<string, Record<string, unknown>>>;
  requests: { items: number; status: number; headers: http.IncomingHttpHeaders }[];
  rejectItems(n: number): void;
  failNext(status: number, times: number): void;
  close(): Promise<void>;
}

export async function startEsReceiver(): Promise<EsReceiver> {
  const indices: EsReceiver["indices"] = new Map();
  const requests: EsReceiver["requests"] = [];
  let reject = 0;
  let failing = { status: 0, times: 0 };
  let auto = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || !/^(\/[^/]+)?\/_bulk$/.test(req.url ?? "")) {
        return json(404, { error: { root_cause: [], type: "index_not_found_exception", reason: "no such index" }, status: 404 });
      }
      const lines = Buffer.concat(chunks).toString("utf8").split("\n").filter((l) => l !== "");
      if (failing.times > 0) {
        failing.times--;
        requests.push({ items: lines.length / 2, status: failing.status, headers: req.headers });
        return json(failing.status, { error: { type: failing.status === 429 ? "circuit_breaking_exception" : "illegal_argument_exception", reason: "[parent] Data too large" }, status: failing.status });
      }
      if (req.headers["content-type"] !== "application/x-ndjson" || lines.length % 2 !== 0) {
        requests.push({ items: 0, status: 400, headers: req.headers });
        return json(400, { error: { type: "illegal_argument_exception", reason: "The bulk request must be terminated by a newline [\\n]" }, status: 400 });
      }
      const items: unknown[] = [];
      let errors = false;
      for (let i = 0; i < lines.length; i += 2) {
        const action = JSON.parse(lines[i]!) as Record<string, { _index: string; _id?: string }>;
        const [op, meta] = Object.entries(action)[0]!;
        const doc = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
        const id = meta._id ?? `auto-${++auto}`;
        const base = { _index: meta._index, _id: id };
        let index = indices.get(meta._index);
        if (reject > 0) {
          reject--;
          errors = true;
          items.push({ [op]: { ...base, status: 429, error: { type: "es_rejected_execution_exception", reason: `rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=${lines[i + 1]!.length}, max_coordinating_and_primary_bytes=0]` } } });
        } else if (doc["message"] === "MAPPING ERROR") {
          errors = true;
          items.push({ [op]: { ...base, status: 400, error: { type: "mapper_parsing_exception", reason: "failed to parse field [journal.PRIORITY] of type [long] in document with id '" + id + "'. Preview of field's value: 'x'" } } });
        } else if (op === "create" && index?.has(id)) {
          errors = true;
          items.push({ [op]: { ...base, status: 409, error: { type: "version_conflict_engine_exception", reason: `[${id}]: version conflict, document already exists (current version [1])`, index: meta._index, shard: "0" } } });
        } else {
          if (index === undefined) indices.set(meta._index, (index = new Map()));
          index.set(id, doc);
          items.push({ [op]: { ...base, _version: 1, result: "created", _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: index.size - 1, _primary_term: 1, status: 201 } });
        }
      }
      requests.push({ items: items.length, status: 200, headers: req.headers });
      json(200, { took: 3, errors, items });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    indices,
    requests,
    rejectItems(n) {
      reject = n;
    },
    failNext(status, times) {
      failing = { status, times };
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
