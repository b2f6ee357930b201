// A resolved destination → the sink that ships to it.
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { BatchSink } from "../pipeline.js";
import { clientSecureContext } from "./common/tls-trust.js";
import { HarborSink } from "./harbor/sink.js";
import { LogentriesSink } from "./logentries/sink.js";
import type { SinkDestination } from "./resolve.js";
import { SyslogSink } from "./syslog/sink.js";
import { ElasticsearchSink } from "./elasticsearch/sink.js";
import { FileSink } from "./file/sink.js";
import { LokiSink } from "./loki/sink.js";
import { StdoutSink } from "./stdout/sink.js";

/** In an elasticsearch sink's dead-letter directory: the single documents it refused (NDJSON). */
export const ES_DEAD_LETTER_FILE = "refused-documents.ndjson";

export interface SinkDeps {
  log: Logger;
  /** Batches in flight at most (harbor keeps that many sockets open). */
  maxInFlight: number;
  env?: NodeJS.ProcessEnv;
  /** Told of every retried send (logharbor_ship_retries_total; the reason becomes the agent's last error). */
  onRetry?: (info?: { reason: string }) => void;
  /** The agent's report sent with each batch to our server (X-Logharbor-Agent), or undefined. */
  agentReport?: () => string | undefined;
  /** The sink's dead-letter directory, for sinks that refuse single entries (elasticsearch). */
  deadLetterDir?: string;
}

export function createSink(d: SinkDestination, deps: SinkDeps): BatchSink {
  const { log } = deps;
  switch (d.kind) {
    case "harbor":
      return new HarborSink({ ingestUrl: d.ingestUrl, token: d.token, display: d.display, compression: d.compression, log, maxSockets: deps.maxInFlight + 1, ...(deps.onRetry ? { onRetry: deps.onRetry } : {}), ...(deps.agentReport ? { agentReport: deps.agentReport } : {}) });
    case "logentries": {
      const secureContext = d.transport === "tls" ? clientSecureContext(d.caFile, deps.env) : undefined;
      return new LogentriesSink({
        target: { transport: d.transport, host: d.host, port: d.port, ...(secureContext ? { secureContext } : {}) },
        display: d.display, routes: d.routes, format: d.format, log,
        ...(deps.onRetry ? { onRetry: deps.onRetry } : {}),
      });
    }
    case "syslog": {
      const secureContext = d.transport === "tls" ? clientSecureContext(d.caFile, deps.env) : undefined;
      return new SyslogSink({
        transport: d.transport, host: d.host, port: d.port, display: d.display, format: d.format, maxBytes: d.maxBytes, log,
        ...(secureContext ? { secureContext } : {}),
        ...(d.token !== undefined ? { token: d.token } : {}),
        ...(deps.onRetry ? { onRetry: deps.onRetry } : {}),
      });
    }
    case "loki":
      return new LokiSink({
        url: d.url, display: d.display, labels: d.labels, maxLabelValues: d.maxLabelValues, line: d.line, log,
        ...(d.tenant !== undefined ? { tenant: d.tenant } : {}),
        ...(d.authorization !== undefined ? { authorization: d.authorization } : {}),
        ...(deps.onRetry ? { onRetry: deps.onRetry } : {}),
      });
    case "elasticsearch":
      return new ElasticsearchSink({
        url: d.url, display: d.display, indexTemplate: d.indexTemplate, log, maxSockets: deps.maxInFlight + 1,
        ...(d.authorization !== undefined ? { authorization: d.authorization } : {}),
        ...(deps.deadLetterDir !== undefined ? { deadLetterFile: join(deps.deadLetterDir, ES_DEAD_LETTER_FILE) } : {}),
        ...(deps.onRetry ? { onRetry: deps.onRetry } : {}),
      });
    case "file":
      return new FileSink({ path: d.path, display: d.display, maxBytes: d.maxBytes, maxFiles: d.maxFiles, log });
    case "stdout":
      return new StdoutSink();
  }
}
