// startServer({dataDir, http: "host:port"}) → {url, store, close()}: opens the store in dataDir,
// makes the first admin key when there is none, and listens. close() stops accepting, lets
// in-flight requests (and their batch transactions) finish, then closes the database.
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { buildApp } from "./app.js";
import { ensureAdminKey } from "./admin-key.js";
import { isLoopbackHost, parseListenAddress, urlFor } from "./listen-address.js";
import { createLogger } from "./logger.js";
import { ServerMetrics } from "./metrics.js";
import { SqliteStore } from "./storage/sqlite/sqlite-store.js";
import type { Store } from "./storage/store.js";

export interface ServerOptions {
  dataDir: string;
  /** HOST:PORT; port 0 picks a free port. */
  http: string;
  logger?: Logger;
  /** Default: true unless the listener is bound to a loopback address. */
  requireApiKey?: boolean;
  /** Largest ingest batch, decompressed (default 64 MiB). */
  maxBatchBytes?: number;
}

export interface RunningServer {
  url: string;
  store: Store;
  app: FastifyInstance;
  /** The admin key file written at this start, if any. */
  adminKeyFile: string | undefined;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const addr = parseListenAddress(opts.http);
  const logger = opts.logger ?? createLogger();
  const store = SqliteStore.open(opts.dataDir);
  try {
    const adminKeyFile = ensureAdminKey(store, opts.dataDir, logger);
    const requireApiKey = opts.requireApiKey ?? !isLoopbackHost(addr.host);
    const app = buildApp({
      store, logger, requireApiKey, metrics: new ServerMetrics(),
      ...(opts.maxBatchBytes !== undefined ? { maxBatchBytes: opts.maxBatchBytes } : {}),
    });
    await app.listen({ host: addr.host, port: addr.port });
    const port = (app.server.address() as AddressInfo).port;
    const url = urlFor(addr.host, port);
    logger.info({ url, dataDir: opts.dataDir, requireApiKey, db: store.file }, "listening");
    let closing: Promise<void> | undefined;
    return {
      url, store, app, adminKeyFile,
      close() {
        closing ??= (async () => {
          try {
            await app.close();
          } finally {
            store.close();
            logger.info({ url }, "stopped");
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    store.close();
    throw e;
  }
}
