// Prometheus metrics of one server instance (its own registry, so several servers can share a process).
import { udpKernelDrops } from "./ingest/common/udp-drops.js";
import { statSync } from "node:fs";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly ingestEntries = new Counter({
    name: "logharbor_ingest_entries_total",
    help: "Entries received by ingest protocol and result (accepted, duplicate, rejected).",
    labelNames: ["protocol", "result"] as const,
    registers: [this.registry],
  });
  readonly ingestBatches = new Counter({
    name: "logharbor_ingest_batches_total",
    help: "Ingest batches by protocol and result (ok, error).",
    labelNames: ["protocol", "result"] as const,
    registers: [this.registry],
  });
  /** Lines / messages of the line protocols (token TCP/TLS/UDP, syslog, webhooks); reason says why. */
  readonly ingestLines = new Counter({
    name: "logharbor_ingest_lines_total",
    help: "Lines received by the line protocols, by protocol, result (accepted, duplicate, truncated, rejected) and reason.",
    labelNames: ["protocol", "result", "reason"] as const,
    registers: [this.registry],
  });
  readonly ingestConnections = new Counter({
    name: "logharbor_ingest_connections_total",
    help: "Connections to the ingest listeners by protocol and result (accepted, refused, idle_timeout, tls_error).",
    labelNames: ["protocol", "result"] as const,
    registers: [this.registry],
  });
  readonly ingestOpenConnections = new Gauge({
    name: "logharbor_ingest_open_connections",
    help: "Connections open now on the ingest listeners, by protocol.",
    labelNames: ["protocol"] as const,
    registers: [this.registry],
  });
  /** What the line protocols accepted and have not committed yet: the server's WriteQueue, once started. */
  ingestQueue: { queuedBytes: number; queuedLines: number } | undefined;
  readonly ingestQueuedBytes: Gauge = new Gauge({
    name: "logharbor_ingest_queued_bytes",
    help: "Bytes of lines the line protocols accepted and have not committed yet (bounded by --max-queued-bytes).",
    registers: [this.registry],
    collect: (): void => this.ingestQueuedBytes.set(this.ingestQueue?.queuedBytes ?? 0),
  });
  readonly ingestQueuedLines: Gauge = new Gauge({
    name: "logharbor_ingest_queued_lines",
    help: "Lines the line protocols accepted and have not committed yet.",
    registers: [this.registry],
    collect: (): void => this.ingestQueuedLines.set(this.ingestQueue?.queuedLines ?? 0),
  });
  /** The UDP listeners' sockets (protocol, local port), for their kernel drop counts. */
  readonly udpSockets = new Map<number, string>();
  readonly udpKernelDrops: Gauge = new Gauge({
    name: "logharbor_ingest_udp_kernel_drops",
    help: "Datagrams the kernel dropped for a UDP listener since it opened (its receive buffer was full: the server did not read fast enough), from /proc/net/udp, by protocol.",
    labelNames: ["protocol"] as const,
    registers: [this.registry],
    collect: (): void => {
      this.udpKernelDrops.reset();
      const drops = udpKernelDrops(new Set(this.udpSockets.keys()));
      for (const [port, protocol] of this.udpSockets) this.udpKernelDrops.inc({ protocol }, drops.get(port) ?? 0);
    },
  });
  readonly ingestPauses = new Counter({
    name: "logharbor_ingest_paused_total",
    help: "Times a connection stopped being read because the line protocols' queue was full (backpressure), by protocol.",
    labelNames: ["protocol"] as const,
    registers: [this.registry],
  });
  /** The store, once started: its event count and its database file. */
  store: { count(): number; file: string } | undefined;
  readonly storeEvents: Gauge = new Gauge({
    name: "logharbor_store_events",
    help: "Events stored, all logs together.",
    registers: [this.registry],
    collect: (): void => this.storeEvents.set(this.store?.count() ?? 0),
  });
  readonly storeBytes: Gauge = new Gauge({
    name: "logharbor_store_bytes",
    help: "Size of the database on disk: the file and its write-ahead log (with --retention it levels off).",
    registers: [this.registry],
    collect: (): void => this.storeBytes.set(this.store ? fileBytes(this.store.file) + fileBytes(`${this.store.file}-wal`) : 0),
  });
  readonly prunedEvents = new Counter({
    name: "logharbor_store_pruned_events_total",
    help: "Events deleted by retention (serve --retention) because they were older than it.",
    registers: [this.registry],
  });
  readonly retentionPassSeconds = new Gauge({
    name: "logharbor_store_retention_pass_seconds",
    help: "How long the last retention pass took (0 when it found nothing to delete).",
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: "logharbor_http_requests_total",
    help: "HTTP requests by method, route and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "logharbor_process_" });
  }
}
