// logharbor serve --data DIR --http HOST:PORT [--tcp|--tls|--udp|--syslog-tcp|--syslog-udp HOST:PORT ...]
// Prints "logharbor serve: listening on URL" on stdout once it accepts requests (port 0 shows the
// real port). SIGTERM/SIGINT: stop accepting, finish in-flight batches, close the database, exit 0.
import type { Command } from "commander";
import { resolve } from "node:path";
import { LogharborError } from "../../core/errors.js";
import { retentionMsOf } from "../../server/storage/retention.js";
import { addIngestFlags, ingestOptions, type IngestFlags } from "./serve-ingest.js";

interface ServeOpts extends IngestFlags {
  data: string;
  http: string;
  config?: string;
  maxBatchBytes?: string;
  maxInflightBatches?: string;
  queryThreads?: string;
  retention?: string;
  allowedHost?: string[];
}

function parseInFlight(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) {
    throw new LogharborError("LH_ERR_USAGE", `--max-inflight-batches: expected an integer >= 1, got "${v}"`);
  }
  return Number(v);
}

function parseQueryThreads(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 64) {
    throw new LogharborError("LH_ERR_USAGE", `--query-threads: expected an integer from 0 to 64, got "${v}"`);
  }
  return Number(v);
}

/** --retention: 0 / off (keep everything) or a duration of at least an hour → ms, or undefined for off. */
export function parseRetention(v: string): number | undefined {
  if (v.trim() === "off" || v.trim() === "0") return undefined;
  const ms = retentionMsOf(v);
  if (ms === undefined) {
    throw new LogharborError("LH_ERR_USAGE", `--retention: expected 0 (keep everything) or a duration of at least 1h such as 12h, 30d or 2w, got "${v}"`);
  }
  return ms;
}

function parseBytes(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1024) {
    throw new LogharborError("LH_ERR_USAGE", `--max-batch-bytes: expected an integer >= 1024, got "${v}"`);
  }
  return Number(v);
}

export function registerServe(program: Command): void {
  const cmd = program
    .command("serve")
    .description("run the central server: ingest, storage (SQLite in --data), search API")
    .option("--data <dir>", "data directory (the database and the admin API key file)", "./data")
    .option("--http <host:port>", "HTTP address; on a non-loopback address the API needs API keys", "127.0.0.1:8080")
    .option("--max-batch-bytes <n>", "largest ingest batch, decompressed", String(64 * 1024 * 1024))
    .option("--max-inflight-batches <n>", "journal batches (ship, POST /api/v1/ingest/journal) read at once; more get 503 + Retry-After", "8")
    .option("--query-threads <n>", "threads that run queries, each with its own read connection, so a long query delays neither ingest nor other requests (started with the first query); 0 = on the main thread", "2")
    .option("--retention <duration>", "delete events older than this (12h, 30d, 2w; checked every minute, oldest first) in logs without a retention of their own (logharbor logs retention); 0 keeps everything", "0")
    .option("--allowed-host <name>", "a name this server is reached by (besides localhost, 127.0.0.1, [::1] and the --http host), accepted in the Host header of API calls; repeatable", (v: string, all: string[] = []) => [...all, v])
    .option("--config <file>", "configuration file (not supported yet)");
  addIngestFlags(cmd)
    .action(async (opts: ServeOpts) => {
      if (opts.config !== undefined) {
        throw new LogharborError("LH_ERR_USAGE", `--config: configuration files are not supported by serve yet; use --data and --http (got "${opts.config}")`);
      }
      const retentionMs = parseRetention(opts.retention ?? "0");
      // Loaded here, not at the top: the other commands (ship, query...) start faster without the server.
      const { startServer } = await import("../../server/server.js");
      const server = await startServer({
        dataDir: resolve(opts.data),
        http: opts.http,
        ...(opts.maxBatchBytes !== undefined ? { maxBatchBytes: parseBytes(opts.maxBatchBytes) } : {}),
        ...(opts.maxInflightBatches !== undefined ? { maxInFlightBatches: parseInFlight(opts.maxInflightBatches) } : {}),
        ...(opts.queryThreads !== undefined ? { queryThreads: parseQueryThreads(opts.queryThreads) } : {}),
        ...(retentionMs !== undefined ? { retentionMs } : {}),
        ...(opts.allowedHost !== undefined ? { allowedHosts: opts.allowedHost } : {}),
        ingest: ingestOptions(opts),
      });
      process.stdout.write(`logharbor serve: listening on ${server.url}\n`);
      for (const l of Object.values(server.listeners)) process.stdout.write(`logharbor serve: ${l.protocol} listening on ${l.host}:${l.port}\n`);
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          process.stdout.write(`logharbor serve: ${signal}: finishing in-flight requests and closing the database\n`);
          server.close().then(done, (e: unknown) => {
            process.stderr.write(`logharbor serve: error while stopping: ${(e as Error).message}\n`);
            process.exitCode = 1;
            done();
          });
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      // Everything is closed and committed: exit now rather than wait for a handle someone left open
      // (a keep-alive socket, a thread still ending), which would leave the supervisor to SIGKILL us.
      process.stdout.write("", () => process.exit());
    });
}
