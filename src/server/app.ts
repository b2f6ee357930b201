// The HTTP application: ingest (token auth), the read/manage API (API-key auth, see api/auth.ts),
// health and metrics. Built by startServer(); tests may build it directly with app.inject().
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { registerEventRoutes } from "./api/events.js";
import { registerHealthRoutes } from "./api/health.js";
import { registerKeyRoutes } from "./api/keys.js";
import { registerLogRoutes } from "./api/logs.js";
import { registerQueryApi } from "./api/query-api.js";
import { requireAccess } from "./api/auth.js";
import { browserPolicy, type BrowserPolicy } from "./api/browser-guard.js";
import { installErrorHandlers } from "./http-errors.js";
import { registerWebUi } from "./web-ui.js";
import { registerJournalIngest } from "./ingest/journal/route.js";
import { DEFAULT_MAX_BATCH_BYTES } from "./ingest/journal/read-batch.js";
import { registerJournalUpload } from "./ingest/journal-upload/route.js";
import { registerWebhookIngest } from "./ingest/webhook/route.js";
import { registerAgentProtocols } from "./ingest/agent-protocols.js";
import { isElasticsearchClient, sendClusterRoot } from "./ingest/elasticsearch/cluster-root.js";
import { pathOf } from "./logger.js";
import type { ServerMetrics } from "./metrics.js";
import type { WriteQueue } from "./ingest/common/write-queue.js";
import type { Store } from "./storage/store.js";
import { inProcessRunner, type QueryRunner } from "./api/query-runner.js";
import { registerAlertRoutes } from "./api/alerts.js";
import type { AlertEngine } from "./alerts/engine.js";
import { AgentReports } from "./fleet/agent-reports.js";
import { registerHostRoutes } from "./api/hosts.js";

export interface AppOptions {
  store: Store;
  metrics: ServerMetrics;
  logger: Logger;
  /** True when the read/manage API needs an API key (listener not on loopback). */
  requireApiKey: boolean;
  /** What keeps browser pages of other origins out of the API (api/browser-guard.ts); default: loopback names only. */
  browser?: BrowserPolicy;
  /** The data directory (rotating the admin key rewrites its admin-api-key file). */
  dataDir?: string;
  /** Largest ingest batch, decompressed. Default 64 MiB. */
  maxBatchBytes?: number;
  /** The longest a query runs before answering partially. Default 10 s. */
  queryBudgetMs?: number;
  /** Journal batches read at once; more get 503 + Retry-After. Default 8. */
  maxInFlightBatches?: number;
  /** The line protocols' queue to the writer thread (webhooks share it); default: the webhooks' own. */
  ingestQueue?: WriteQueue;
  /** Runs queries and event searches (the server: query threads); default: in this thread. */
  queries?: QueryRunner;
  /** The alerts engine (the server has one); without it there are no alert routes. */
  alerts?: AlertEngine;
  /** The agents' reports that come with their batches (the fleet view); default: kept for this app. */
  agentReports?: AgentReports;
}

export function buildApp(opts: AppOptions): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // Requests are logged by the onResponse hook below, by path only (a query may hold a token).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  installErrorHandlers(app);

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unknown";
    opts.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    req.log.info({ method: req.method, path: pathOf(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request done");
  });

  registerHealthRoutes(app, opts.store, opts.metrics);
  registerWebUi(app, undefined, { wants: isElasticsearchClient, send: sendClusterRoot });
  const agentReports = opts.agentReports ?? new AgentReports(opts.store);
  registerJournalIngest(app, {
    store: opts.store, metrics: opts.metrics, maxBatchBytes: opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES, agentReports,
    ...(opts.maxInFlightBatches !== undefined ? { maxInFlight: opts.maxInFlightBatches } : {}),
  });
  registerJournalUpload(app, { store: opts.store, metrics: opts.metrics, maxEntryBytes: opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES });
  registerWebhookIngest(app, { store: opts.store, metrics: opts.metrics, logger: opts.logger, ...(opts.ingestQueue ? { queue: opts.ingestQueue } : {}) });
  registerAgentProtocols(app, { store: opts.store, metrics: opts.metrics, logger: opts.logger, ...(opts.ingestQueue ? { queue: opts.ingestQueue } : {}) });
  const queries = opts.queries ?? inProcessRunner(opts.store);
  void app.register(async (api) => {
    requireAccess(api, opts.store, opts.requireApiKey, opts.browser ?? browserPolicy("127.0.0.1", !opts.requireApiKey));
    registerLogRoutes(api, opts.store);
    registerEventRoutes(api, opts.store, queries);
    registerKeyRoutes(api, opts.store, opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {});
    if (opts.alerts) registerAlertRoutes(api, opts.store, opts.alerts);
    registerHostRoutes(api, opts.store, agentReports, opts.alerts);
    registerQueryApi(api, { store: opts.store, queries, ...(opts.queryBudgetMs !== undefined ? { budgetMs: opts.queryBudgetMs } : {}) });
  });
  return app;
}
