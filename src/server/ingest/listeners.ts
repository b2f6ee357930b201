// Starts the line-protocol listeners a server was asked for: token TCP/TLS/UDP, syslog TCP/UDP,
// the Fluentd forward protocol and GELF UDP/TCP.
// A listener marked optional (a default the operator did not ask for) that cannot bind its port is
// skipped with a warning; any other failure stops the start.
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { LogharborError } from "../../core/errors.js";
import { parseListenAddress } from "../listen-address.js";
import type { ServerMetrics } from "../metrics.js";
import type { Store } from "../storage/store.js";
import type { RunningListener } from "./common/stream-listener.js";
import type { WriteQueue } from "./common/write-queue.js";
import { startForwardListener } from "./forward/listener.js";
import { startGelfListener } from "./gelf/listener.js";
import { startSyslogListener } from "./syslog/listener.js";
import { startTokenListener } from "./token-tcp/listener.js";

export type ListenerName = "tcp" | "tls" | "udp" | "syslogTcp" | "syslogUdp" | "forward" | "gelfUdp" | "gelfTcp";

export interface IngestListenersOptions {
  /** HOST:PORT for each listener; absent = not started. */
  tcp?: string;
  tls?: string;
  /** PEM files for the TLS listener (both needed). */
  tlsCert?: string;
  tlsKey?: string;
  udp?: string;
  syslogTcp?: string;
  syslogUdp?: string;
  /** Name of the log for syslog messages without a token (created when missing). */
  syslogDefaultLog?: string;
  /** Fluentd forward protocol listener. */
  forward?: string;
  /** Require the forward protocol's shared-key handshake (the shared key is a log's ingest token). */
  forwardAuth?: boolean;
  /** Without the handshake: the log for forward messages whose tag carries no token (created when missing). */
  forwardDefaultLog?: string;
  /** Largest forward message, decompressed (default 16 MiB). */
  forwardMaxMessageBytes?: number;
  gelfUdp?: string;
  gelfTcp?: string;
  /** The log for GELF messages without a token (created when missing). */
  gelfDefaultLog?: string;
  /** Token anywhere in the line as a whitespace-separated UUID (the older Logentries rule). */
  tokenAnywhere?: boolean;
  /** Longest line or syslog message (default 1 MiB); longer ones are truncated and flagged. */
  maxLineBytes?: number;
  /** Connections per listener (default 1024). */
  maxConnections?: number;
  /** Connections from one remote address per listener (default 64). */
  maxConnectionsPerPeer?: number;
  /** TLS listeners: a handshake not finished this soon closes the connection (default 10 s). */
  handshakeTimeoutMs?: number;
  /** A connection silent this long is closed (default 5 minutes). */
  idleTimeoutMs?: number;
  /**
   * Bytes of lines accepted and not yet committed, over all line protocols (default 16 MiB): beyond
   * it TCP/TLS connections stop being read, UDP drops (counted), webhooks answer 503.
   */
  maxQueuedBytes?: number;
  /** Listeners that are defaults, not asked for: a port in use is a warning. */
  optional?: ListenerName[];
}

export interface IngestListeners {
  /** Each running listener by name, with its real port. */
  byName: Partial<Record<ListenerName, RunningListener>>;
  close(): Promise<void>;
}

function pem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new LogharborError("LH_ERR_USAGE", `${flag}: cannot read "${file}": ${(e as Error).message}`);
  }
}

export async function startIngestListeners(
  o: IngestListenersOptions, deps: { store: Store; queue: WriteQueue; metrics: ServerMetrics; logger: Logger },
): Promise<IngestListeners> {
  const byName: IngestListeners["byName"] = {};
  const common = {
    ...deps,
    ...(o.maxLineBytes !== undefined ? { maxLineBytes: o.maxLineBytes } : {}),
    ...(o.maxConnections !== undefined ? { maxConnections: o.maxConnections } : {}),
    ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
    ...(o.maxConnectionsPerPeer !== undefined ? { maxConnectionsPerPeer: o.maxConnectionsPerPeer } : {}),
    ...(o.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: o.handshakeTimeoutMs } : {}),
  };
  if (o.tls !== undefined && (o.tlsCert === undefined || o.tlsKey === undefined)) {
    throw new LogharborError("LH_ERR_USAGE", `--tls: the TLS listener needs --tls-cert FILE and --tls-key FILE (PEM), got ${o.tlsCert === undefined ? "no --tls-cert" : "no --tls-key"}`);
  }
  const tls = o.tls !== undefined ? { cert: pem(o.tlsCert!, "--tls-cert"), key: pem(o.tlsKey!, "--tls-key") } : undefined;
  const logNamed = (name: string | undefined) => (name === undefined ? undefined : deps.store.logByName(name) ?? deps.store.createLog(name));
  const defaultLog = logNamed(o.syslogDefaultLog);
  const forwardLog = o.forwardAuth ? undefined : logNamed(o.forwardDefaultLog);
  const gelfLog = logNamed(o.gelfDefaultLog);
  const plan: Array<[ListenerName, string | undefined, () => Promise<RunningListener>, string]> = [
    ["tcp", o.tcp, () => startTokenListener({ ...common, protocol: "token-tcp", address: parseListenAddress(o.tcp!, "--tcp"), tokenAnywhere: o.tokenAnywhere ?? false }), "--tcp"],
    ["tls", o.tls, () => startTokenListener({ ...common, protocol: "token-tls", address: parseListenAddress(o.tls!, "--tls"), tokenAnywhere: o.tokenAnywhere ?? false, ...(tls ? { tls } : {}) }), "--tls"],
    ["udp", o.udp, () => startTokenListener({ ...common, protocol: "token-udp", address: parseListenAddress(o.udp!, "--udp"), tokenAnywhere: o.tokenAnywhere ?? false }), "--udp"],
    ["syslogTcp", o.syslogTcp, () => startSyslogListener({ ...common, protocol: "syslog-tcp", address: parseListenAddress(o.syslogTcp!, "--syslog-tcp"), ...(defaultLog ? { defaultLog } : {}) }), "--syslog-tcp"],
    ["syslogUdp", o.syslogUdp, () => startSyslogListener({ ...common, protocol: "syslog-udp", address: parseListenAddress(o.syslogUdp!, "--syslog-udp"), ...(defaultLog ? { defaultLog } : {}) }), "--syslog-udp"],
    ["forward", o.forward, () => startForwardListener({
      ...common, address: parseListenAddress(o.forward!, "--forward"), auth: o.forwardAuth ?? false,
      ...(forwardLog ? { defaultLog: forwardLog } : {}),
      ...(o.forwardMaxMessageBytes !== undefined ? { maxMessageBytes: o.forwardMaxMessageBytes } : {}),
    }), "--forward"],
    ["gelfUdp", o.gelfUdp, () => startGelfListener({ ...common, protocol: "gelf-udp", address: parseListenAddress(o.gelfUdp!, "--gelf-udp"), ...(gelfLog ? { defaultLog: gelfLog } : {}) }), "--gelf-udp"],
    ["gelfTcp", o.gelfTcp, () => startGelfListener({ ...common, protocol: "gelf-tcp", address: parseListenAddress(o.gelfTcp!, "--gelf-tcp"), ...(gelfLog ? { defaultLog: gelfLog } : {}) }), "--gelf-tcp"],
  ];
  const close = async () => {
    await Promise.all(Object.values(byName).map((l) => l.close()));
  };
  try {
    for (const [name, addr, start, flag] of plan) {
      if (addr === undefined) continue;
      try {
        byName[name] = await start();
        deps.logger.info({ listener: name, host: byName[name]!.host, port: byName[name]!.port }, "ingest listener ready");
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "EADDRINUSE" && o.optional?.includes(name)) {
          deps.logger.warn({ listener: name, address: addr }, `the default address of ${flag} is in use; that listener is off (pass ${flag} HOST:PORT or ${flag} off)`);
          continue;
        }
        if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
          throw new LogharborError("LH_ERR_USAGE", `${flag}: cannot listen on ${addr}: ${(e as Error).message}`);
        }
        throw e;
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { byName, close };
}
