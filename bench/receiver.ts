// A receiver that only acknowledges: the fastest possible destination for `logharbor ship`, run as
// its own process by the bench. POST /api/v1/ingest/journal: the body (gzip'd or not) is parsed as
// journal export format and counted, then answered 200 {"accepted":N,"duplicates":0}.
// GET /stats: {"entries","distinct","requests","bytes"}; distinct counts distinct __CURSOR values,
// so a batch sent twice shows. Prints {"port":N} on stdout once listening on 127.0.0.1.
import http from "node:http";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { ExportParser } from "../src/core/journal/export-parser.js";

const INGEST_PATH = "/api/v1/ingest/journal";
let entries = 0;
let requests = 0;
let bytes = 0;
const cursors = new Set<string>();

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function ingest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const enc = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (enc !== "gzip" && enc !== "identity") {
    send(res, 415, { error: { code: "LH_ERR_UNSUPPORTED_ENCODING", message: `Content-Encoding ${enc}: expected gzip or identity` } });
    return;
  }
  const body: Readable = enc === "gzip" ? req.pipe(createGunzip()) : req;
  const parser = new ExportParser();
  let n = 0;
  const seen: string[] = [];
  try {
    for await (const chunk of body) {
      bytes += (chunk as Buffer).length;
      for (const e of parser.push(chunk as Buffer)) {
        n++;
        const c = e.cursor;
        if (c !== undefined) seen.push(c);
      }
    }
    for (const e of parser.end()) {
      n++;
      const c = e.cursor;
      if (c !== undefined) seen.push(c);
    }
  } catch (e) {
    send(res, 400, { error: { code: "LH_ERR_EXPORT_FORMAT", message: (e as Error).message } });
    return;
  }
  requests++;
  entries += n;
  for (const c of seen) cursors.add(c);
  send(res, 200, { accepted: n, duplicates: 0 });
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "POST" && path === INGEST_PATH) {
    ingest(req, res).catch((e: unknown) => send(res, 500, { error: { code: "LH_ERR_SERVER", message: String(e) } }));
  } else if (req.method === "GET" && path === "/stats") {
    send(res, 200, { entries, distinct: cursors.size, requests, bytes });
  } else {
    req.resume();
    send(res, 404, { error: { code: "LH_ERR_NOT_FOUND", message: `${req.method} ${path}: not served by the bench receiver` } });
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(JSON.stringify({ port: typeof addr === "object" && addr ? addr.port : 0 }) + "\n");
});
process.on("SIGTERM", () => process.exit(0));
