// A tiny stand-in for the server's acknowledged batch API (POST /api/v1/ingest/journal) on port 0:
// records every body it got, deduplicates entries by journal identity as the server does, and
// answers 200 {"accepted","duplicates","last_cursor"}. `respond` can script other answers.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { parseExport } from "../../src/core/journal/export-parser.js";
import type { ExportEntry } from "../../src/core/journal/export-entry.js";
import { journalIdentity } from "../../src/core/journal/cursor.js";

export interface ReceivedRequest {
  n: number;
  authorization: string | undefined;
  contentEncoding: string | undefined;
  contentType: string | undefined;
  url: string;
  /** The body as sent (gzip'd or not). */
  raw: Buffer;
}

/** A received body's export bytes: gunzipped when it was sent with Content-Encoding: gzip. */
export function bodyOf(r: ReceivedRequest): Buffer {
  return r.contentEncoding === "gzip" ? gunzipSync(r.raw) : r.raw;
}

export interface Scripted {
  /** 0: close the connection without an answer (a network error for the client). */
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface AckReceiverOptions {
  /** Called for every request (n counts from 1); a returned answer replaces the acknowledgement. */
  respond?: (req: ReceivedRequest) => Scripted | undefined;
  /** Skip decoding: only count bytes and answer (for throughput measurements). */
  ackOnly?: boolean;
  token?: string;
  /** Requests after this many are stored but never answered (an acknowledgement lost in a crash). */
  holdAfter?: number;
}

export interface AckReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Entries stored, deduplicated, in arrival order. */
  stored: ExportEntry[];
  /** Journal identities (as the server dedupes on) of every entry received, duplicates included. */
  received: string[];
  duplicates: number;
  bytes: number;
  /** Changes AckReceiverOptions.holdAfter (undefined: answer everything again). */
  setHoldAfter(n: number | undefined): void;
  close(): Promise<void>;
}

export async function startAckReceiver(options: AckReceiverOptions = {}): Promise<AckReceiver> {
  const opts = { ...options };
  const seen = new Set<string>();
  const r: Omit<AckReceiver, "url" | "close" | "setHoldAfter"> = { requests: [], stored: [], received: [], duplicates: 0, bytes: 0 };
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      r.bytes += raw.length;
      const rec: ReceivedRequest = {
        n: ++n,
        authorization: req.headers.authorization,
        contentEncoding: req.headers["content-encoding"],
        contentType: req.headers["content-type"],
        url: req.url ?? "",
        raw: opts.ackOnly ? Buffer.alloc(0) : raw,
      };
      if (!opts.ackOnly) r.requests.push(rec);
      const scripted = opts.respond?.(rec);
      if (scripted?.status === 0) {
        req.socket.destroy();
        return;
      }
      if (scripted) {
        res.writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers });
        res.end(scripted.body ?? JSON.stringify({ error: { code: "LH_ERR_SERVER", message: `scripted ${scripted.status}` } }));
        return;
      }
      if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
        res.writeHead(403, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "LH_ERR_TOKEN_UNKNOWN", message: "ingest token not known" } }));
        return;
      }
      if (opts.ackOnly) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"accepted":0,"duplicates":0,"last_cursor":null}');
        return;
      }
      const body = bodyOf(rec);
      let accepted = 0;
      let dups = 0;
      let last: string | undefined;
      for (const e of parseExport(body)) {
        const c = journalIdentity(e) ?? e.raw.toString("base64");
        r.received.push(c);
        last = e.cursor;
        if (seen.has(c)) dups++;
        else {
          seen.add(c);
          r.stored.push(e);
          accepted++;
        }
      }
      r.duplicates += dups;
      if (opts.holdAfter !== undefined && rec.n > opts.holdAfter) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ accepted, duplicates: dups, last_cursor: last ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}`,
    setHoldAfter(h: number | undefined) {
      opts.holdAfter = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as AckReceiver;
}
