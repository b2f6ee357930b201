// The sink for logentries+tls:// and logentries+tcp:// destinations: each entry becomes one token
// line, `TOKEN message\n` (core/wire/logentries-line.ts), on one long-lived connection. Batches are
// written in order, one at a time; a batch is acknowledged once its bytes are flushed to the socket,
// since the token protocol has no acknowledgement (docs/sinks.md says what that guarantees).
import { parseExport } from "../../../core/journal/export-parser.js";
import { encodeTokenLine } from "../../../core/wire/logentries-line.js";
import type { Logger } from "../../logger.js";
import type { Ack, BatchSink } from "../../pipeline.js";
import type { BackoffOptions } from "../../backoff.js";
import { StreamConnection, type StreamRetry, type StreamTarget } from "../common/stream-connection.js";
import { formatEntry, type LineFormat } from "./format.js";
import { tokenFor, type TokenRoutes } from "./routing.js";

export interface LogentriesSinkOptions {
  target: StreamTarget;
  display: string;
  routes: TokenRoutes;
  format: LineFormat;
  log: Logger;
  backoff?: BackoffOptions;
  writeTimeoutMs?: number;
  onRetry?: (info: StreamRetry) => void;
}

export interface LogentriesStats {
  lines: number;
  /** Entries no --token-map rule matched while there is no default token: not shipped. */
  unrouted: number;
}

export class LogentriesSink implements BatchSink {
  readonly display: string;
  readonly stats: LogentriesStats = { lines: 0, unrouted: 0 };
  private readonly o: LogentriesSinkOptions;
  private readonly conn: StreamConnection;
  private tail: Promise<unknown> = Promise.resolve();
  private warnedUnrouted = false;

  constructor(o: LogentriesSinkOptions) {
    this.o = o;
    this.display = o.display;
    this.conn = new StreamConnection({
      target: o.target, display: o.display, log: o.log,
      ...(o.backoff ? { backoff: o.backoff } : {}),
      ...(o.writeTimeoutMs !== undefined ? { writeTimeoutMs: o.writeTimeoutMs } : {}),
      ...(o.onRetry ? { onRetry: o.onRetry } : {}),
    });
  }

  /** The token lines of a batch (export-format bytes), and how many entries had no token. */
  encode(body: Buffer): { bytes: Buffer; lines: number; unrouted: number } {
    let text = "";
    let lines = 0;
    let unrouted = 0;
    for (const e of parseExport(body)) {
      const token = tokenFor(e, this.o.routes);
      if (token === undefined) {
        unrouted++;
        continue;
      }
      text += encodeTokenLine(token, formatEntry(e, this.o.format));
      lines++;
    }
    return { bytes: Buffer.from(text, "utf8"), lines, unrouted };
  }

  send(body: Buffer, _entries: number): Promise<Ack> {
    const { bytes, lines, unrouted } = this.encode(body);
    if (unrouted > 0) {
      this.stats.unrouted += unrouted;
      if (!this.warnedUnrouted) {
        this.warnedUnrouted = true;
        this.o.log.warn({ destination: this.display, entries: unrouted }, "entries matched no --token-map rule and there is no default token (--token); they are not shipped");
      }
    }
    const run = async (): Promise<Ack> => {
      if (bytes.length > 0) await this.conn.write(bytes);
      this.stats.lines += lines;
      return { accepted: lines, duplicates: 0 };
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.conn.close();
  }

  /** Whether a connection is open (for tests and diagnostics). */
  get connected(): boolean {
    return this.conn.connected;
  }

  /** Batches written again after the connection they went to failed right after them. */
  get replayed(): number {
    return this.conn.replayed;
  }
}
