// Other agents' HTTP protocols on the server's HTTP port, sharing one token cache and the line
// protocols' write queue: OTLP/HTTP logs, the Loki push API, the Elasticsearch bulk API.
import type { FastifyInstance } from "fastify";
import { IngestAuth } from "./common/ingest-auth.js";
import type { HttpIngestDeps } from "./common/http-protocol.js";
import { registerElasticsearchIngest } from "./elasticsearch/route.js";
import { registerLokiIngest } from "./loki/route.js";
import { registerOtlpIngest } from "./otlp/route.js";

export function registerAgentProtocols(app: FastifyInstance, deps: HttpIngestDeps): void {
  const shared: HttpIngestDeps = { ...deps, auth: deps.auth ?? new IngestAuth(deps.store) };
  registerOtlpIngest(app, shared);
  registerLokiIngest(app, shared);
  registerElasticsearchIngest(app, shared);
}
