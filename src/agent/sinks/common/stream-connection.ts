// One long-lived TCP or TLS connection that a line-protocol sink writes batches to. write() resolves
// once the bytes were handed to the kernel (the socket's write callback: written and flushed from
// our buffers); on any failure the connection is dropped, re-opened with backoff, and the whole
// buffer written again, so a batch is never half-sent as far as we know. The protocols have no
// acknowledgement: a write into a connection the peer is closing succeeds locally and only the next
// write fails, or the peer answers with a reset. So when a write fails, or a connection is reset
// after its last batch was flushed, that batch is written again on the next connection (it may
// arrive twice). Bytes of older batches still in the kernel's send buffer when a
// connection dies can be lost (docs/sinks.md).
import net from "node:net";
import tls from "node:tls";
import { LogharborError } from "../../../core/errors.js";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from "../../backoff.js";
import type { Logger } from "../../logger.js";
import { errorSummary } from "../../sources/reconnecting-source.js";

export interface StreamTarget {
  transport: "tcp" | "tls";
  host: string;
  port: number;
  /** For TLS: the trusted CAs (tls-trust.ts). */
  secureContext?: tls.SecureContext;
}

export interface StreamRetry {
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface StreamConnectionOptions {
  target: StreamTarget;
  /** Safe to log: the destination without any token. */
  display: string;
  log: Logger;
  backoff?: BackoffOptions;
  connectTimeoutMs?: number;
  /** A write not flushed within this long counts as failed (the peer stopped reading). */
  writeTimeoutMs?: number;
  onRetry?: (info: StreamRetry) => void;
  onConnect?: () => void;
}

export class StreamConnection {
  private readonly o: StreamConnectionOptions;
  private socket: net.Socket | undefined;
  private readonly abort = new AbortController();
  /** The last batch flushed, and the socket it went to: written again if the next write there fails. */
  private last: { socket: net.Socket; buf: Buffer } | undefined;
  /** A batch to write again before the next one (its connection was reset after it). */
  private replay: Buffer | undefined;
  /** Connections opened so far (for tests and logs). */
  connects = 0;
  /** Batches written again because the write after them failed on the same connection. */
  replayed = 0;

  constructor(o: StreamConnectionOptions) {
    this.o = o;
  }

  /** Writes buf, reconnecting and retrying until it is flushed to a socket; rejects only once closed. */
  async write(buf: Buffer): Promise<void> {
    let pending = buf;
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) throw closed();
      let s: net.Socket | undefined;
      if (this.replay !== undefined) {
        pending = Buffer.concat([this.replay, pending]);
        this.replay = undefined;
        this.replayed++;
      }
      try {
        s = this.usable() ?? (await this.connect());
        await this.writeOnce(s, pending);
        this.last = { socket: s, buf };
        return;
      } catch (e) {
        if (s !== undefined && this.last?.socket === s) {
          // The previous batch went into this connection just before it failed: it may be lost.
          pending = Buffer.concat([this.last.buf, buf]);
          this.last = undefined;
          this.replayed++;
        }
        this.drop();
        if (this.abort.signal.aborted) throw closed();
        const delayMs = backoffDelay(attempt, this.o.backoff ?? DEFAULT_BACKOFF);
        const reason = errorSummary(e);
        this.o.onRetry?.({ attempt: attempt + 1, delayMs, reason });
        const certificate = /certificate|self.signed|CERT_|unable to verify/i.test(reason);
        this.o.log[certificate ? "error" : "warn"](
          { destination: this.o.display, bytes: buf.length, attempt: attempt + 1, delay_ms: delayMs, reason },
          certificate ? "the server's TLS certificate is not trusted (see --ca-file); retrying" : "could not write a batch; reconnecting and writing it again",
        );
        if (!(await sleep(delayMs, this.abort.signal))) throw closed();
      }
    }
  }

  close(): void {
    this.abort.abort();
    this.drop();
  }

  /** Whether a connection is open and not known to be closing. */
  get connected(): boolean {
    const s = this.socket;
    return s !== undefined && !s.destroyed && !s.readableEnded && s.writable;
  }

  private usable(): net.Socket | undefined {
    const s = this.socket;
    if (s === undefined || s.destroyed || s.readableEnded || !s.writable) {
      if (s !== undefined) {
        this.socket = undefined;
        s.end();
      }
      return undefined;
    }
    return s;
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): Promise<net.Socket> {
    const { transport, host, port, secureContext } = this.o.target;
    return new Promise((resolve, reject) => {
      const s =
        transport === "tls"
          ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...(secureContext ? { secureContext } : {}), rejectUnauthorized: true })
          : net.connect({ host, port });
      const ready = transport === "tls" ? "secureConnect" : "connect";
      const timer = setTimeout(() => s.destroy(withCode(`no connection within ${this.o.connectTimeoutMs ?? 30_000} ms`, "ETIMEDOUT")), this.o.connectTimeoutMs ?? 30_000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        s.destroy();
        reject(e);
      };
      s.once("error", fail);
      s.once(ready, () => {
        clearTimeout(timer);
        s.off("error", fail);
        s.setNoDelay(true);
        s.setKeepAlive(true, 30_000);
        // The protocols send nothing back; reading notices the peer closing (FIN) at once.
        s.on("data", () => {});
        s.on("error", (e: NodeJS.ErrnoException) => {
          // A reset: the peer discarded what we wrote after it closed.
          if ((e.code === "ECONNRESET" || e.code === "EPIPE") && this.last?.socket === s) {
            this.replay = this.last.buf;
            this.last = undefined;
          }
          this.forget(s);
        });
        // The peer closed its side: stop using the connection, but keep reading until it is gone,
        // so a reset (data discarded) is still noticed.
        s.once("end", () => {
          if (this.socket === s) this.socket = undefined;
          s.end();
        });
        s.once("close", () => this.forget(s));
        this.socket = s;
        this.connects++;
        this.o.log.debug({ destination: this.o.display, connects: this.connects }, "connected");
        this.o.onConnect?.();
        resolve(s);
      });
    });
  }

  private forget(s: net.Socket): void {
    if (this.socket === s) this.socket = undefined;
    s.destroy();
  }

  private writeOnce(s: net.Socket, buf: Buffer): Promise<void> {
    const ms = this.o.writeTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (e?: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        s.off("close", onClose);
        if (e) reject(e);
        else resolve();
      };
      const onClose = () => finish(withCode("the connection closed before the batch was flushed", "ECONNRESET"));
      const timer = setTimeout(() => finish(withCode(`the batch was not flushed within ${ms} ms (the receiver stopped reading)`, "ETIMEDOUT")), ms);
      s.once("close", onClose);
      s.write(buf, (e) => finish(e ?? undefined));
    });
  }
}

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function closed(): LogharborError {
  return new LogharborError("LH_ERR_SINK", "the sink was closed before the batch was written");
}
