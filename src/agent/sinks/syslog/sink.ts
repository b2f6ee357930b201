// The sink for syslog+tcp://, syslog+tls:// and syslog+udp:// destinations. TCP and TLS: RFC 6587
// octet-counting frames on one long-lived connection, batches written in order, a batch
// acknowledged once flushed to the socket. UDP: one message per datagram, cut at max_bytes without
// breaking a UTF-8 sequence or the structured data; a batch acknowledged once every datagram was
// handed to the kernel. Syslog has no acknowledgement either (docs/sinks.md).
import dgram from "node:dgram";
import net from "node:net";
import { LogharborError } from "../../../core/errors.js";
import { parseExport } from "../../../core/journal/export-parser.js";
import { encodeDatagram, encodeSyslog, octetCountingFrame, type SyslogFormat } from "../../../core/wire/syslog.js";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from "../../backoff.js";
import type { Logger } from "../../logger.js";
import type { Ack, BatchSink } from "../../pipeline.js";
import { errorSummary } from "../../sources/reconnecting-source.js";
import { StreamConnection, type StreamRetry, type StreamTarget } from "../common/stream-connection.js";
import { syslogMessage } from "./message.js";

export const DEFAULT_UDP_MAX_BYTES = 2048;

export interface SyslogSinkOptions {
  transport: "tcp" | "tls" | "udp";
  host: string;
  port: number;
  /** TLS: the trusted CAs. */
  secureContext?: StreamTarget["secureContext"];
  display: string;
  format: SyslogFormat;
  /** UDP: the largest datagram. */
  maxBytes?: number;
  token?: string;
  log: Logger;
  backoff?: BackoffOptions;
  onRetry?: (info: StreamRetry) => void;
}

export class SyslogSink implements BatchSink {
  readonly display: string;
  /** UDP messages cut to fit max_bytes. */
  truncated = 0;
  private readonly o: SyslogSinkOptions;
  private readonly conn: StreamConnection | undefined;
  private udp: dgram.Socket | undefined;
  private readonly abort = new AbortController();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(o: SyslogSinkOptions) {
    this.o = o;
    this.display = o.display;
    if (o.transport !== "udp") {
      this.conn = new StreamConnection({
        target: { transport: o.transport, host: o.host, port: o.port, ...(o.secureContext ? { secureContext: o.secureContext } : {}) },
        display: o.display, log: o.log,
        ...(o.backoff ? { backoff: o.backoff } : {}),
        ...(o.onRetry ? { onRetry: o.onRetry } : {}),
      });
    }
  }

  /** The messages of a batch (export-format bytes), each framed for the transport. */
  encode(body: Buffer): Buffer[] {
    const { format, token } = this.o;
    const opts = { ...(token !== undefined ? { token } : {}), structuredData: format === "rfc5424" };
    return parseExport(body).map((e) => {
      const m = syslogMessage(e, opts);
      if (this.o.transport !== "udp") return octetCountingFrame(encodeSyslog(m, format));
      const d = encodeDatagram(m, format, this.o.maxBytes ?? DEFAULT_UDP_MAX_BYTES);
      if (d.truncated) this.truncated++;
      return d.bytes;
    });
  }

  send(body: Buffer, _entries: number): Promise<Ack> {
    const messages = this.encode(body);
    const run = async (): Promise<Ack> => {
      if (messages.length > 0) {
        if (this.conn) await this.conn.write(Buffer.concat(messages));
        else await this.sendDatagrams(messages);
      }
      return { accepted: messages.length, duplicates: 0 };
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.abort.abort();
    this.conn?.close();
    this.udp?.close();
    this.udp = undefined;
  }

  private async sendDatagrams(messages: Buffer[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) throw closed();
      try {
        const s = (this.udp ??= dgram.createSocket(net.isIPv6(this.o.host) ? "udp6" : "udp4"));
        await Promise.all(messages.map((m) => new Promise<void>((resolve, reject) => s.send(m, this.o.port, this.o.host, (e) => (e ? reject(e) : resolve())))));
        return;
      } catch (e) {
        this.udp?.close();
        this.udp = undefined;
        if (this.abort.signal.aborted) throw closed();
        const delayMs = backoffDelay(attempt, this.o.backoff ?? DEFAULT_BACKOFF);
        const reason = errorSummary(e);
        this.o.onRetry?.({ attempt: attempt + 1, delayMs, reason });
        this.o.log.warn({ destination: this.display, messages: messages.length, attempt: attempt + 1, delay_ms: delayMs, reason }, "could not send a batch of datagrams; sending it again");
        if (!(await sleep(delayMs, this.abort.signal))) throw closed();
      }
    }
  }
}

function closed(): LogharborError {
  return new LogharborError("LH_ERR_SINK", "the sink was closed before the batch was sent");
}
