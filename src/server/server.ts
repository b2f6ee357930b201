// startServer({dataDir, http: "host:port"}) → {url, store, close()}: opens the store in dataDir,
// makes the first admin key when there is none, and listens. close() stops accepting, lets
// in-flight requests (and their batch transactions) finish, then closes the database.
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { buildApp } from "./app.js";
import { browserPolicy } from "./api/browser-guard.js";
import { ensureAdminKey } from "./admin-key.js";
import { isLoopbackHost } from "../core/host.js";
import { parseListenAddress, urlFor } from "./listen-address.js";
import { startIngestListeners, type IngestListeners, type IngestListenersOptions } from "./ingest/listeners.js";
import { WriteQueue } from "./ingest/common/write-queue.js";
import { checkListenable, lockDataDir } from "./data-lock.js";
import { createLogger } from "./logger.js";
import { ServerMetrics } from "./metrics.js";
import { DB_FILE, SqliteStore } from "./storage/sqlite/sqlite-store.js";
import { checkIntegrity, DEFAULT_INTEGRITY_CHECK_MS } from "./storage/sqlite/integrity.js";
import { storageErrorOf } from "./storage/storage-errors.js";
import { join } from "node:path";
import { DEFAULT_QUERY_THREADS, QueryThreads } from "./api/query-threads/pool.js";
import { Retention } from "./storage/retention.js";
import type { Store } from "./storage/store.js";
import { AlertEngine } from "./alerts/engine.js";
import { AlertMetrics } from "./alerts/metrics.js";
import { AgentReports } from "./fleet/agent-reports.js";
import { inProcessRunner } from "./api/query-runner.js";
import type { StatsResult } from "./query/execute/index.js";
import { DEFAULT_QUERY_BUDGET_MS } from "./query/execute/budget.js";

export interface ServerOptions {
  dataDir: string;
  /** HOST:PORT; port 0 picks a free port. */
  http: string;
  logger?: Logger;
  /** Default: true unless the listener is bound to a loopback address. */
  requireApiKey?: boolean;
  /** Host names (besides this machine's loopback names and the bound host) the API accepts in Host (serve --allowed-host). */
  allowedHosts?: string[];
  /** Largest ingest batch, decompressed (default 64 MiB). */
  maxBatchBytes?: number;
  /** The longest a query runs before answering partially (default 10 s). */
  queryBudgetMs?: number;
  /** Journal batches (POST /api/v1/ingest/journal) read at once; more get 503 + Retry-After (default 8). */
  maxInFlightBatches?: number;
  /** Line-protocol listeners (token TCP/TLS/UDP, syslog); none unless given. */
  ingest?: IngestListenersOptions;
  /** Threads that run queries, each with its own read connection (default 2); 0 = on the main thread. */
  queryThreads?: number;
  /** The integrity check at start (PRAGMA quick_check) is cut off after this long (default 10 s). */
  integrityCheckMs?: number;
  /** Delete events older than this (ms), checked at start and every minute, in logs without a retention of their own; default: keep everything. */
  retentionMs?: number;
  /** The address people open the web page at, for links in alert notifications (default: the listener's URL). */
  publicUrl?: string;
}

export interface RunningServer {
  url: string;
  store: Store;
  app: FastifyInstance;
  /** The admin key file written at this start, if any. */
  adminKeyFile: string | undefined;
  /** The running line-protocol listeners, with their real ports. */
  listeners: IngestListeners["byName"];
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const addr = parseListenAddress(opts.http);
  const logger = opts.logger ?? createLogger();
  // Before anything is created: the address must be free, and the data directory ours alone.
  await checkListenable(addr.host, addr.port);
  let unlock: () => void;
  try {
    unlock = lockDataDir(opts.dataDir);
  } catch (e) {
    // A full disk already fails at the lock file: the same one clear line as at the database.
    throw storageErrorOf(e, opts.dataDir) ?? e;
  }
  // A damaged database stops the start (LH_ERR_STORAGE_CORRUPT, saying what to do); so does a disk
  // too full to open it (LH_ERR_STORAGE_FULL): one clear line, never a raw SQLite stack.
  const dbFile = join(opts.dataDir, DB_FILE);
  const checked = await checkIntegrity(dbFile, opts.integrityCheckMs);
  if (checked === "timed-out") logger.warn({ db: dbFile, ms: opts.integrityCheckMs ?? DEFAULT_INTEGRITY_CHECK_MS }, "the integrity check at start did not finish in time; starting without it");
  let store: SqliteStore;
  try {
    store = SqliteStore.open(opts.dataDir);
  } catch (e) {
    unlock();
    throw storageErrorOf(e, dbFile) ?? e;
  }
  // Inserts of acknowledged batches run on a writer thread, overlapping with parsing the next ones.
  store.startWriterThread();
  let queries: QueryThreads | undefined;
  try {
    const adminKeyFile = ensureAdminKey(store, opts.dataDir, logger);
    const requireApiKey = opts.requireApiKey ?? !isLoopbackHost(addr.host);
    const metrics = new ServerMetrics();
    // One bounded queue to the writer thread for every line protocol (token, syslog, webhooks).
    const ingestQueue = new WriteQueue({
      store, ...(opts.ingest?.maxQueuedBytes !== undefined ? { maxQueuedBytes: opts.ingest.maxQueuedBytes } : {}),
    });
    metrics.ingestQueue = ingestQueue;
    metrics.store = { count: () => store.count(), file: store.file };
    // Queries read on their own threads and connections: a long one holds up neither ingest nor other requests.
    const threads = opts.queryThreads ?? DEFAULT_QUERY_THREADS;
    if (threads > 0) queries = new QueryThreads(store.file, threads);
    const runner = queries ?? inProcessRunner(store);
    let listenUrl = "";
    const agentReports = new AgentReports(store);
    const alerts = new AlertEngine({
      store, catalog: store.alerts, logger, metrics: new AlertMetrics(metrics.registry),
      activity: (per) => store.lastEntries(per).map((e) => [e.key, e.lastUs / 1000] as [string, number]),
      baseUrl: () => opts.publicUrl ?? listenUrl,
      runStats: async (q, logIds, fromMs, toMs) => {
        const r = await runner.run({ q, from: fromMs, to: toMs }, opts.queryBudgetMs ?? DEFAULT_QUERY_BUDGET_MS, logIds);
        return r.result as StatsResult;
      },
    });
    const app = buildApp({
      store, logger, requireApiKey, metrics, ingestQueue, alerts, agentReports, ...(queries ? { queries } : {}),
      browser: browserPolicy(addr.host, !requireApiKey, opts.allowedHosts ?? []), dataDir: opts.dataDir,
      ...(opts.maxInFlightBatches !== undefined ? { maxInFlightBatches: opts.maxInFlightBatches } : {}),
      ...(opts.maxBatchBytes !== undefined ? { maxBatchBytes: opts.maxBatchBytes } : {}),
      ...(opts.queryBudgetMs !== undefined ? { queryBudgetMs: opts.queryBudgetMs } : {}),
    });
    const listeners = await startIngestListeners(opts.ingest ?? {}, { store, queue: ingestQueue, metrics, logger });
    try {
      await app.listen({ host: addr.host, port: addr.port });
    } catch (e) {
      await listeners.close();
      throw e;
    }
    // Always running: logs may have a retention of their own (PUT /api/v1/logs/{log}/retention).
    const retention = new Retention({ store, retentionMs: opts.retentionMs, logger, metrics });
    retention.start();
    const port = (app.server.address() as AddressInfo).port;
    const url = urlFor(addr.host, port);
    listenUrl = url;
    alerts.start();
    logger.info({ url, dataDir: opts.dataDir, requireApiKey, db: store.file }, "listening");
    let closing: Promise<void> | undefined;
    return {
      url, store, app, adminKeyFile, listeners: listeners.byName,
      close() {
        closing ??= (async () => {
          try {
            // Each step settles once what it accepted is committed: lines, then HTTP requests.
            await retention.stop();
            await alerts.stop();
            agentReports.flush();
            await listeners.close();
            // A query still running gets a short grace, then its thread is stopped: it must not hold the shutdown.
            await Promise.all([app.close(), queries?.close()]);
            await ingestQueue.whenIdle();
          } finally {
            await queries?.close();
            await store.close();
            unlock();
            logger.info({ url }, "stopped");
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    await queries?.close();
    await store.close();
    unlock();
    throw storageErrorOf(e, opts.dataDir) ?? e;
  }
}
