// The serve flags of the line-protocol listeners → IngestListenersOptions.
//   --tcp HOST:PORT   token TCP (default 127.0.0.1:10000; "off" disables; a bare PORT binds 127.0.0.1)
//   --tls HOST:PORT   token TLS (default 127.0.0.1:20000, started only with --tls-cert and --tls-key)
//   --udp, --syslog-tcp, --syslog-udp HOST:PORT (off unless given), --syslog-default-log NAME,
//   --forward [HOST:PORT] (Fluentd forward; 127.0.0.1:24224 when given alone), --forward-auth,
//   --forward-default-log NAME, --forward-max-message-bytes N, --gelf-udp [HOST:PORT], --gelf-tcp
//   [HOST:PORT] (127.0.0.1:12201 when given alone), --gelf-default-log NAME,
//   --token-anywhere, --max-line-bytes N, --max-connections N, --max-connections-per-peer N,
//   --tls-handshake-timeout-ms N, --idle-timeout-ms N, --max-queued-bytes N
import type { Command } from "commander";
import { LogharborError } from "../../core/errors.js";
import type { IngestListenersOptions, ListenerName } from "../../server/ingest/listeners.js";

export const DEFAULT_TCP = "127.0.0.1:10000";
export const DEFAULT_TLS = "127.0.0.1:20000";
export const DEFAULT_FORWARD = "127.0.0.1:24224";
export const DEFAULT_GELF = "127.0.0.1:12201";

export interface IngestFlags {
  tcp?: string;
  tls?: string;
  tlsCert?: string;
  tlsKey?: string;
  udp?: string;
  syslogTcp?: string;
  syslogUdp?: string;
  syslogDefaultLog?: string;
  forward?: string | true;
  forwardAuth?: boolean;
  forwardDefaultLog?: string;
  forwardMaxMessageBytes?: string;
  gelfUdp?: string | true;
  gelfTcp?: string | true;
  gelfDefaultLog?: string;
  tokenAnywhere?: boolean;
  maxLineBytes?: string;
  maxConnections?: string;
  maxConnectionsPerPeer?: string;
  tlsHandshakeTimeoutMs?: string;
  idleTimeoutMs?: string;
  maxQueuedBytes?: string;
}

export function addIngestFlags(cmd: Command): Command {
  return cmd
    .option("--tcp <host:port|off>", `token TCP listener (Logentries line protocol; default ${DEFAULT_TCP})`)
    .option("--tls <host:port|off>", `token TLS listener (default ${DEFAULT_TLS} when --tls-cert and --tls-key are given)`)
    .option("--tls-cert <file>", "PEM certificate (chain) of the token TLS listener")
    .option("--tls-key <file>", "PEM private key of the token TLS listener")
    .option("--udp <host:port|off>", "token UDP listener (off by default)")
    .option("--syslog-tcp <host:port|off>", "syslog TCP listener, octet-counting or newline framing (off by default)")
    .option("--syslog-udp <host:port|off>", "syslog UDP listener (off by default)")
    .option("--syslog-default-log <name>", "log for syslog messages that carry no token (created when missing)")
    .option("--forward [host:port|off]", `Fluentd forward protocol listener (Docker's fluentd driver, Fluent Bit, Fluentd; ${DEFAULT_FORWARD} when given without an address; off by default)`)
    .option("--forward-auth", "forward: require the shared-key handshake; a client's shared key is the ingest token of the log it writes to")
    .option("--forward-default-log <name>", "forward without --forward-auth: log for messages whose tag does not start with a token (created when missing)")
    .option("--forward-max-message-bytes <n>", "forward: largest message (and its decompressed entries); a larger one closes the connection", String(16 * 1024 * 1024))
    .option("--gelf-udp [host:port|off]", `GELF UDP listener, chunked, gzip/zlib or plain (${DEFAULT_GELF} when given without an address; off by default)`)
    .option("--gelf-tcp [host:port|off]", `GELF TCP listener, NUL-delimited (${DEFAULT_GELF} when given without an address; off by default)`)
    .option("--gelf-default-log <name>", "GELF: log for messages without a _token field or a token in _tag (created when missing)")
    .option("--token-anywhere", "token lines: accept the token as a whitespace-separated UUID anywhere in the line")
    .option("--max-line-bytes <n>", "longest line or syslog message; longer ones are truncated and flagged", String(1024 * 1024))
    .option("--max-connections <n>", "connections per listener", "1024")
    .option("--max-connections-per-peer <n>", "connections from one remote address per listener; more are refused", "64")
    .option("--tls-handshake-timeout-ms <n>", "TLS listeners: close a connection whose handshake is not done this soon", "10000")
    .option("--idle-timeout-ms <n>", "close a connection silent this long", String(5 * 60_000))
    .option("--max-queued-bytes <n>", "line protocols: bytes of lines taken and not yet stored; beyond it TCP/TLS reading pauses, UDP drops (counted), webhooks answer 503", String(16 * 1024 * 1024));
}

function address(v: string | undefined, flag: string): string | undefined {
  if (v === undefined || v === "off") return undefined;
  if (/^\d{1,5}$/.test(v)) return `127.0.0.1:${v}`;
  if (!v.includes(":")) throw new LogharborError("LH_ERR_USAGE", `${flag}: expected HOST:PORT, PORT or off, got "${v}"`);
  return v;
}

function integer(v: string | undefined, flag: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new LogharborError("LH_ERR_USAGE", `${flag}: expected an integer >= ${min}, got "${v}"`);
  return Number(v);
}

export function ingestOptions(f: IngestFlags): IngestListenersOptions {
  const optional: ListenerName[] = [];
  const tcp = address(f.tcp ?? DEFAULT_TCP, "--tcp");
  if (f.tcp === undefined) optional.push("tcp");
  const haveCert = f.tlsCert !== undefined || f.tlsKey !== undefined;
  const tls = address(f.tls ?? (haveCert ? DEFAULT_TLS : undefined), "--tls");
  if (f.tls === undefined) optional.push("tls");
  const o: IngestListenersOptions = { optional };
  const set = <K extends keyof IngestListenersOptions>(k: K, v: IngestListenersOptions[K] | undefined) => {
    if (v !== undefined) o[k] = v;
  };
  set("tcp", tcp);
  set("tls", tls);
  set("tlsCert", f.tlsCert);
  set("tlsKey", f.tlsKey);
  set("udp", address(f.udp, "--udp"));
  set("syslogTcp", address(f.syslogTcp, "--syslog-tcp"));
  set("syslogUdp", address(f.syslogUdp, "--syslog-udp"));
  set("syslogDefaultLog", f.syslogDefaultLog);
  if (f.forwardAuth === true && f.forwardDefaultLog !== undefined) {
    throw new LogharborError("LH_ERR_USAGE", `--forward-default-log: not used with --forward-auth, where each client's shared key (a log's ingest token) chooses the log; got both`);
  }
  set("forward", address(f.forward === true ? DEFAULT_FORWARD : f.forward, "--forward"));
  set("forwardAuth", f.forwardAuth === true ? true : undefined);
  set("forwardDefaultLog", f.forwardDefaultLog);
  set("forwardMaxMessageBytes", integer(f.forwardMaxMessageBytes, "--forward-max-message-bytes", 65536));
  set("gelfUdp", address(f.gelfUdp === true ? DEFAULT_GELF : f.gelfUdp, "--gelf-udp"));
  set("gelfTcp", address(f.gelfTcp === true ? DEFAULT_GELF : f.gelfTcp, "--gelf-tcp"));
  set("gelfDefaultLog", f.gelfDefaultLog);
  set("tokenAnywhere", f.tokenAnywhere === true ? true : undefined);
  set("maxLineBytes", integer(f.maxLineBytes, "--max-line-bytes", 256));
  set("maxConnections", integer(f.maxConnections, "--max-connections", 1));
  set("idleTimeoutMs", integer(f.idleTimeoutMs, "--idle-timeout-ms", 100));
  set("maxConnectionsPerPeer", integer(f.maxConnectionsPerPeer, "--max-connections-per-peer", 1));
  set("handshakeTimeoutMs", integer(f.tlsHandshakeTimeoutMs, "--tls-handshake-timeout-ms", 100));
  set("maxQueuedBytes", integer(f.maxQueuedBytes, "--max-queued-bytes", 65536));
  return o;
}
