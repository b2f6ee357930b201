// The Fluentd forward protocol listener (serve --forward HOST:PORT): Docker's fluentd log driver,
// Fluent Bit's forward output, Fluentd's out_forward, fluent-logger clients. A TCP stream listener
// like the others (connection limit, idle timeout, backpressure when the line protocols' queue is
// full); each connection is a ForwardSession. close() stops the listener and settles once every
// record taken is committed.
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { LogInfo, Store } from "../../storage/store.js";
import { EventBatcher } from "../common/batcher.js";
import { peerHost } from "../common/line-event.js";
import { startStreamListener, type RunningListener } from "../common/stream-listener.js";
import { TokenResolver } from "../common/token-resolver.js";
import type { WriteQueue } from "../common/write-queue.js";
import { SharedKeys } from "./handshake.js";
import { ForwardSession, PROTOCOL } from "./session.js";

/** Largest forward message, and largest decompressed CompressedPackedForward entries (16 MiB). */
export const DEFAULT_FORWARD_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Deepest nesting of arrays and maps in a message (records nest maps in maps). */
export const FORWARD_MAX_DEPTH = 32;

export interface ForwardListenerOptions {
  address: ListenAddress;
  store: Store;
  queue: WriteQueue;
  metrics: ServerMetrics;
  logger: Logger;
  /** Require the shared-key handshake; the shared key is a log's ingest token. */
  auth?: boolean;
  /** Without the handshake: the log for messages whose tag carries no token. */
  defaultLog?: LogInfo;
  maxMessageBytes?: number;
  maxConnections?: number;
  idleTimeoutMs?: number;
}

export async function startForwardListener(opts: ForwardListenerOptions): Promise<RunningListener> {
  const { store, queue, metrics, logger } = opts;
  const batcher = new EventBatcher({ queue, metrics, logger, protocol: PROTOCOL });
  const cx = {
    limits: { maxBytes: opts.maxMessageBytes ?? DEFAULT_FORWARD_MAX_MESSAGE_BYTES, maxDepth: FORWARD_MAX_DEPTH },
    batcher, tokens: new TokenResolver(store), metrics, logger,
    sharedKeys: opts.auth ? new SharedKeys(store) : undefined,
    defaultLog: opts.auth ? undefined : opts.defaultLog,
    serverHostname: hostname(),
  };
  const listener = await startStreamListener({
    protocol: PROTOCOL, address: opts.address, metrics, logger, queue,
    ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
    ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
    session: (socket) => new ForwardSession(socket, peerHost(socket.remoteAddress), cx),
  });
  return {
    ...listener,
    async close() {
      await listener.close();
      await batcher.drain();
    },
  };
}
