// Syslog listeners: TCP (octet-counting and newline framing, RFC 6587) and UDP (one message per
// datagram). Malformed messages and messages without a log are counted and dropped. Messages go
// to the store's writer thread through the server's WriteQueue; when it is full, TCP connections
// stop being read (backpressure) and UDP datagrams are dropped and counted (dropped, queue_full).
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { LogInfo, Store } from "../../storage/store.js";
import { EventBatcher } from "../common/batcher.js";
import type { WriteQueue } from "../common/write-queue.js";
import { peerHost } from "../common/line-event.js";
import { startStreamListener, type RunningListener } from "../common/stream-listener.js";
import { TokenResolver } from "../common/token-resolver.js";
import { startUdpListener } from "../common/udp-listener.js";
import { DEFAULT_MAX_LINE_BYTES } from "../token-tcp/listener.js";
import { SyslogFramer } from "./framer.js";
import { parseSyslog } from "./parse.js";
import { routeSyslog } from "./route.js";
import { syslogEvent } from "./to-event.js";

export interface SyslogListenerOptions {
  protocol: "syslog-tcp" | "syslog-udp";
  address: ListenAddress;
  store: Store;
  /** The server's bounded queue to the store's writer thread, shared by all line protocols. */
  queue: WriteQueue;
  metrics: ServerMetrics;
  logger: Logger;
  /** The log for messages that carry no token. */
  defaultLog?: LogInfo;
  maxLineBytes?: number;
  maxConnections?: number;
  maxConnectionsPerPeer?: number;
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export async function startSyslogListener(opts: SyslogListenerOptions): Promise<RunningListener> {
  const { protocol, store, queue, metrics, logger } = opts;
  const batcher = new EventBatcher({ queue, metrics, logger, protocol });
  const tokens = new TokenResolver(store);
  const maxBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const reject = (reason: string) => metrics.ingestLines.inc({ protocol, result: "rejected", reason });
  const handle = (bytes: Buffer, truncated: boolean, peer: string | null) => {
    if (bytes.length === 0) return;
    const m = parseSyslog(bytes.toString("utf8"));
    if (!m) return reject("malformed");
    const r = routeSyslog(m, tokens, opts.defaultLog);
    if (!r.ok) return reject(r.reason);
    if (truncated) metrics.ingestLines.inc({ protocol, result: "truncated", reason: "max_line_bytes" });
    batcher.add(r.log.id, syslogEvent(m, r, peer, protocol, truncated), bytes.length);
  };
  const listener =
    protocol === "syslog-udp"
      ? await startUdpListener({
          protocol, address: opts.address, logger, metrics,
          onMessage(msg, peer) {
            if (queue.full) {
              metrics.ingestLines.inc({ protocol, result: "dropped", reason: queue.storeFault ? "store_error" : "queue_full" });
              return;
            }
            let end = msg.length;
            while (end > 0 && (msg[end - 1] === 10 || msg[end - 1] === 13 || msg[end - 1] === 0)) end--;
            const truncated = end > maxBytes;
            handle(msg.subarray(0, Math.min(end, maxBytes)), truncated, peerHost(peer.address));
          },
        })
      : await startStreamListener({
          protocol, address: opts.address, metrics, logger, queue,
          ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
          ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
          ...(opts.maxConnectionsPerPeer !== undefined ? { maxConnectionsPerPeer: opts.maxConnectionsPerPeer } : {}),
          ...(opts.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: opts.handshakeTimeoutMs } : {}),
          session(socket) {
            const peer = peerHost(socket.remoteAddress);
            const framer = new SyslogFramer(maxBytes);
            const out = (b: Buffer, t: boolean) => handle(b, t, peer);
            return { push: (chunk) => framer.push(chunk, out), end: () => framer.end(out), get pending() { return framer.pending; } };
          },
        });
  return {
    ...listener,
    async close() {
      await listener.close();
      await batcher.drain();
    },
  };
}
