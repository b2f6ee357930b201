// Token TCP, TLS and UDP listeners: "TOKEN message\n" lines, several tokens per connection.
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { EventBatcher } from "../common/batcher.js";
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
  metrics: ServerMetrics;
  logger: Logger;
  tls?: { cert: Buffer | string; key: Buffer | string };
  tokenAnywhere?: boolean;
  maxLineBytes?: number;
  maxConnections?: number;
  idleTimeoutMs?: number;
  batchMaxDelayMs?: number;
}

export async function startTokenListener(opts: TokenListenerOptions): Promise<RunningListener> {
  const { protocol, store, metrics, logger } = opts;
  const batcher = new EventBatcher({ store, metrics, logger, protocol, ...(opts.batchMaxDelayMs !== undefined ? { maxDelayMs: opts.batchMaxDelayMs } : {}) });
  const handler = new TokenLineHandler(protocol, new TokenResolver(store), batcher, metrics, opts.tokenAnywhere ?? false);
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const listener =
    protocol === "token-udp"
      ? await startUdpListener({
          protocol, address: opts.address, logger,
          onMessage(msg, peer) {
            const host = peerHost(peer.address);
            const split = new LineSplitter(maxLine);
            const out = (b: Buffer, t: boolean) => handler.line(b, t, host);
            split.push(msg, out);
            split.end(out);
          },
        })
      : await startStreamListener({
          protocol, address: opts.address, metrics, logger,
          ...(opts.tls ? { tls: opts.tls } : {}),
          ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
          ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
          session(socket) {
            const host = peerHost(socket.remoteAddress);
            const split = new LineSplitter(maxLine);
            const out = (b: Buffer, t: boolean) => handler.line(b, t, host);
            return { push: (chunk) => split.push(chunk, out), end: () => split.end(out) };
          },
        });
  return {
    ...listener,
    async close() {
      await listener.close();
      batcher.flush();
    },
  };
}
