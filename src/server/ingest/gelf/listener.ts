// GELF listeners (Docker's gelf log driver, Graylog clients): UDP (serve --gelf-udp; one message a
// datagram, or chunked and reassembled by chunks.ts; gzip, zlib or plain) and TCP (serve
// --gelf-tcp; uncompressed messages, each ended by a NUL byte). A message is at most maxBytes
// (--max-line-bytes) decompressed; a longer one is rejected (too_large), never stored cut short.
// Like the other line protocols: messages go to the writer thread through the server's WriteQueue;
// when it is full, TCP connections stop being read and UDP datagrams are dropped and counted.
// Counted in logharbor_ingest_lines_total{protocol="gelf-udp"|"gelf-tcp"}: rejected (too_large,
// compression_invalid, malformed, token_missing, token_unknown, too_many_chunks, chunk_invalid),
// dropped (queue_full, incomplete_chunks, chunks_evicted, shutdown_partial_line).
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { LogInfo, Store } from "../../storage/store.js";
import { EventBatcher } from "../common/batcher.js";
import { peerHost } from "../common/line-event.js";
import { LineSplitter } from "../common/line-splitter.js";
import { startStreamListener, type RunningListener } from "../common/stream-listener.js";
import { TokenResolver } from "../common/token-resolver.js";
import { startUdpListener } from "../common/udp-listener.js";
import type { WriteQueue } from "../common/write-queue.js";
import { DEFAULT_MAX_LINE_BYTES } from "../token-tcp/listener.js";
import { ChunkAssembler, isChunk } from "./chunks.js";
import { decodeGelf } from "./decode.js";
import { routeGelf } from "./route.js";
import { gelfEvent } from "./to-event.js";

/** Incomplete chunked messages held at once, all senders together. */
export const GELF_MAX_PENDING_BYTES = 32 * 1024 * 1024;
export const GELF_MAX_PENDING_MESSAGES = 4096;
export const GELF_CHUNK_TIMEOUT_MS = 5000;

export interface GelfListenerOptions {
  protocol: "gelf-udp" | "gelf-tcp";
  address: ListenAddress;
  store: Store;
  queue: WriteQueue;
  metrics: ServerMetrics;
  logger: Logger;
  /** The log for messages that carry no token. */
  defaultLog?: LogInfo;
  maxLineBytes?: number;
  maxConnections?: number;
  idleTimeoutMs?: number;
}

export async function startGelfListener(opts: GelfListenerOptions): Promise<RunningListener> {
  const { protocol, store, queue, metrics, logger } = opts;
  const batcher = new EventBatcher({ queue, metrics, logger, protocol });
  const tokens = new TokenResolver(store);
  const maxBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const count = (result: string, reason: string) => metrics.ingestLines.inc({ protocol, result, reason });
  const handle = (payload: Buffer, peer: string | null) => {
    const d = decodeGelf(payload, maxBytes);
    if (!d.ok) {
      logger.debug({ protocol, peer, reason: d.reason }, `GELF message rejected: ${d.detail}`);
      return count("rejected", d.reason);
    }
    const r = routeGelf(d.gelf, tokens, opts.defaultLog);
    if (!r.ok) return count("rejected", r.reason);
    const e = gelfEvent(d.gelf, r.tag, peer, protocol);
    if (!e.ok) return count("rejected", e.reason);
    batcher.add(r.log.id, e.event, payload.length);
  };
  let listener: RunningListener;
  let sweeper: NodeJS.Timeout | undefined;
  if (protocol === "gelf-udp") {
    const chunks = new ChunkAssembler(
      { maxBytes, maxPendingBytes: GELF_MAX_PENDING_BYTES, maxPendingMessages: GELF_MAX_PENDING_MESSAGES, timeoutMs: GELF_CHUNK_TIMEOUT_MS },
      (reason) => count(reason === "incomplete_chunks" || reason === "chunks_evicted" ? "dropped" : "rejected", reason),
    );
    sweeper = setInterval(() => chunks.sweep(), 1000);
    sweeper.unref();
    listener = await startUdpListener({
      protocol, address: opts.address, logger,
      onMessage(msg, from) {
        if (queue.full) return count("dropped", "queue_full");
        const payload = isChunk(msg) ? chunks.add(msg, from.address) : msg;
        if (payload !== undefined) handle(payload, peerHost(from.address));
      },
    });
  } else {
    listener = await startStreamListener({
      protocol, address: opts.address, metrics, logger, queue,
      ...(opts.maxConnections !== undefined ? { maxConnections: opts.maxConnections } : {}),
      ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      session(socket) {
        const peer = peerHost(socket.remoteAddress);
        // One byte more than the limit, so that a message of exactly maxBytes is not taken as cut.
        const split = new LineSplitter(maxBytes + 1, 0);
        const out = (b: Buffer, truncated: boolean) => {
          if (truncated || b.length > maxBytes) return count("rejected", "too_large");
          // Some senders end frames with NUL and a newline: blank frames are skipped.
          if (b.length === 0 || (b.length <= 2 && b.toString("latin1").trim() === "")) return;
          handle(b, peer);
        };
        return { push: (chunk) => split.push(chunk, out), end: () => split.end(out), get pending() { return split.pending; } };
      },
    });
  }
  return {
    ...listener,
    async close() {
      if (sweeper) clearInterval(sweeper);
      await listener.close();
      await batcher.drain();
    },
  };
}
