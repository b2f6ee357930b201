// A TCP or TLS listener for a line protocol, with the limits every listener has: a global cap on
// connections (more are refused at once), an idle timeout that closes slow and half-open clients,
// TCP keep-alive, and errors of one connection never reaching the others.
// Against lockout: at most maxConnectionsPerPeer connections from one remote address (counted from
// the TCP connect, before any TLS handshake), a TLS handshake must finish within handshakeTimeoutMs,
// and a connection whose handshake fails or times out is destroyed at once (it frees its slot).
// Backpressure: after each chunk read, when the line protocols' queue is full, the socket stops
// being read (the sender is held back by TCP flow control; nothing is dropped) until it is not.
// While the store cannot write (a full disk), a chunk read is held unparsed and reading stops, so
// no line is taken that could only fail; reading resumes, held chunks first, once it can.
// Shutdown (close): stop accepting, close every connection; a line still incomplete then is counted
// (dropped, shutdown_partial_line), never stored cut short; everything before it was taken.
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { WriteQueue } from "./write-queue.js";

export const DEFAULT_MAX_CONNECTIONS = 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_MAX_CONNECTIONS_PER_PEER = 64;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** What a listener does with one connection's bytes. */
export interface Session {
  push(chunk: Buffer): void;
  /** The peer ended the stream: a last line without its newline is taken. */
  end(): void;
  /** True when a frame is incomplete (bytes read since the last whole line or message). */
  readonly pending: boolean;
}

export interface StreamListenerOptions {
  protocol: string;
  address: ListenAddress;
  tls?: { cert: Buffer | string; key: Buffer | string };
  maxConnections?: number;
  /** Connections from one remote address at once; more are refused (default 64). */
  maxConnectionsPerPeer?: number;
  /** TLS: the handshake must finish this soon, else the connection is closed (default 10 s). */
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
  metrics: ServerMetrics;
  logger: Logger;
  /** When full, sockets pause; absent: never paused. */
  queue?: Pick<WriteQueue, "full" | "whenNotFull" | "storeFault">;
  session(socket: Socket): Session;
}

export interface RunningListener {
  protocol: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startStreamListener(opts: StreamListenerOptions): Promise<RunningListener> {
  const { protocol, metrics, logger } = opts;
  const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const sockets = new Set<Socket>();
  const queue = opts.queue;
  const perPeerMax = opts.maxConnectionsPerPeer ?? DEFAULT_MAX_CONNECTIONS_PER_PEER;
  const perPeer = new Map<string, number>();
  let closing = false;
  /** Every TCP connection (raw, before TLS): the per-peer limit; false when refused. */
  const admit = (raw: Socket): boolean => {
    const peer = raw.remoteAddress ?? "unknown";
    const n = perPeer.get(peer) ?? 0;
    if (n >= perPeerMax) {
      metrics.ingestConnections.inc({ protocol, result: "refused_per_peer" });
      raw.destroy();
      return false;
    }
    perPeer.set(peer, n + 1);
    raw.once("close", () => {
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left <= 0) perPeer.delete(peer);
      else perPeer.set(peer, left);
    });
    return true;
  };
  const onSocket = (socket: Socket) => {
    metrics.ingestConnections.inc({ protocol, result: "accepted" });
    sockets.add(socket);
    metrics.ingestOpenConnections.inc({ protocol });
    socket.setKeepAlive(true, 60_000);
    const onIdle = () => {
      metrics.ingestConnections.inc({ protocol, result: "idle_timeout" });
      socket.destroy();
    };
    socket.setTimeout(idleMs, onIdle);
    let session: Session | undefined = opts.session(socket);
    const finish = () => {
      const s = session;
      session = undefined;
      if (s === undefined) return;
      if (!closing) s.end();
      else if (s.pending) metrics.ingestLines.inc({ protocol, result: "dropped", reason: "shutdown_partial_line" });
    };
    let paused = false;
    // Chunks read while the store cannot write (a full disk): held, unparsed, until it can again.
    let held: Buffer[] = [];
    const take = (chunk: Buffer): boolean => {
      try {
        session?.push(chunk);
        return true;
      } catch (err) {
        logger.error({ err, protocol }, "closing a connection after an unexpected error");
        socket.destroy();
        return false;
      }
    };
    const resume = () => {
      paused = false;
      if (socket.destroyed) return;
      const chunks = held;
      held = [];
      for (const c of chunks) if (!take(c)) return;
      socket.setTimeout(idleMs); // re-arms the timer; onIdle stays the listener
      socket.resume();
    };
    const pause = () => {
      // Waiting on us, not idle: no idle timeout while paused.
      paused = true;
      socket.pause();
      socket.setTimeout(0);
      metrics.ingestPauses.inc({ protocol });
      void queue!.whenNotFull().then(resume);
    };
    socket.on("data", (chunk: Buffer) => {
      if (queue !== undefined && queue.storeFault !== undefined) {
        // Nothing could be stored: keep the bytes, stop reading (TCP holds the sender back).
        held.push(chunk);
        if (!paused) pause();
        return;
      }
      if (!take(chunk)) return;
      if (queue !== undefined && !paused && queue.full) pause();
    });
    socket.on("end", finish);
    socket.on("close", () => {
      sockets.delete(socket);
      metrics.ingestOpenConnections.dec({ protocol });
      try {
        finish();
      } catch (err) {
        logger.error({ err, protocol }, "unexpected error at the end of a connection");
      }
    });
    socket.on("error", (err) => logger.debug({ protocol, err: err.message }, "connection error"));
  };
  let server: Server;
  if (opts.tls) {
    const handshakeMs = Math.min(opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS, idleMs);
    const tls = createTlsServer({ cert: opts.tls.cert, key: opts.tls.key, handshakeTimeout: handshakeMs });
    // The raw connection, before its handshake: counted per peer, and kept in `sockets` so close() ends it.
    tls.on("connection", (raw: Socket) => {
      if (!admit(raw)) return;
      sockets.add(raw);
      raw.once("close", () => sockets.delete(raw));
    });
    tls.on("secureConnection", (s: TLSSocket) => onSocket(s));
    // With a listener here Node leaves the failed socket open: destroy it, or it holds its slot for good.
    tls.on("tlsClientError", (err: Error, s: TLSSocket) => {
      const timeout = (err as { code?: string }).code === "ERR_TLS_HANDSHAKE_TIMEOUT";
      metrics.ingestConnections.inc({ protocol, result: timeout ? "tls_handshake_timeout" : "tls_error" });
      s.destroy();
    });
    server = tls;
  } else {
    server = createNetServer((s) => {
      if (admit(s)) onSocket(s);
    });
  }
  server.maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on("drop", () => metrics.ingestConnections.inc({ protocol, result: "refused" }));
  server.on("error", (err) => logger.error({ err, protocol }, "listener error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: opts.address.host, port: opts.address.port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.address.port;
  return {
    protocol,
    host: opts.address.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
