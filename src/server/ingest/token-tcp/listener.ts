// Token TCP, TLS and UDP listeners: "TOKEN message\n" lines, several tokens per connection.
// Lines go to the store's writer thread through the server's WriteQueue; when it is full, TCP/TLS
// connections stop being read (backpressure) and UDP datagrams are dropped and counted
// (dropped, queue_full). close() stops the listener and settles once every line taken is committed.
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { EventBatcher } from "../common/batcher.js";
import type { WriteQueue } from "../common/write-queue.js";
import { peerHost } from "../common/line-event.js";
import { LineSplitter } from "../common/line-splitter.js";
import { startStreamListener, type RunningListener } from "../common/stream-listener.js";
import { TokenResolver } from "../common/token-resolver.js";
import { startUdpListener } from "../common/udp-listener.js";
import { TokenLineHandler } from "./handler.js";

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface TokenListenerOptions {
  protocol: "token-tcp" | "token-tls" | "token-udp";
  address: ListenAddress;
  store: Store;
  /** The server's bounded queue to the store's writer thread, shared by all line protocols. */
  queue: WriteQueue;
  metrics: ServerMetrics;
  logger: Logger;
  tls?: { cert: Buffer | string; key: Buffer | string };
  tokenAnywhere?: boolean;
  maxLineBytes?: number;
  maxConnections?: number;
  maxConnectionsPerPeer?: number;
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export async function startTokenListener(opts: TokenListenerOptions): Promise<RunningListener> {
  const { protocol, store, queue, metrics, logger } = opts;
  const batcher = new EventBatcher({ queue, metrics, logger, protocol });
  const handler = new TokenLineHandler(protocol, new TokenResolver(store), batcher, metrics, opts.tokenAnywhere ?? false);
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const listener =
    protocol === "token-udp"
      ? await startUdpListener({
          protocol, address: opts.address, logger, metrics,
          onMessage(msg, from) {
            const split = new LineSplitter(maxLine);
            if (queue.full) {
              // UDP cannot be held back: the datagram's lines are dropped, and counted.
              let n = 0;
              const count = (b: Buffer) => void (b.length > 0 && n++);
              split.push(msg, count);
              split.end(count);
              if (n > 0) metrics.ingestLines.inc({ protocol, result: "dropped", reason: queue.storeFault ? "store_error" : "queue_full" }, n);
              return;
            }
            const peer = handler.peer(peerHost(from.address));
            const out = (b: Buffer, t: boolean) => handler.line(b, t, peer);
            split.push(msg, out);
            split.end(out);
          },
        })
      : await startStreamListener({
          protocol, address: opts.address, metrics, logger, queue,
          ...(opts.tls ? { tls: opts.tls } : {}),
          ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
          ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
          ...(opts.maxConnectionsPerPeer !== undefined ? { maxConnectionsPerPeer: opts.maxConnectionsPerPeer } : {}),
          ...(opts.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: opts.handshakeTimeoutMs } : {}),
          session(socket) {
            const peer = handler.peer(peerHost(socket.remoteAddress));
            const split = new LineSplitter(maxLine);
            const out = (b: Buffer, t: boolean) => handler.line(b, t, peer);
            return { push: (chunk) => split.push(chunk, out), end: () => split.end(out), get pending() { return split.pending; } };
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
