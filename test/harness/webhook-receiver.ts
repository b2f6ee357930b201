// A real HTTP receiver for alert notifications: records every request (headers, raw body, parsed
// JSON or form payload) and can be taken down and brought back on the same port.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  at: number;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The JSON body, or the JSON of a form's payload= field. */
  doc: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: Received[];
  /** Closes the listener (connections are refused) until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

function parse(contentType: string | undefined, body: string): Record<string, unknown> {
  try {
    if (contentType?.startsWith("application/x-www-form-urlencoded")) {
      return JSON.parse(new URLSearchParams(body).get("payload") ?? "{}") as Record<string, unknown>;
    }
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let server: Server;
  const make = () =>
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        received.push({ at: Date.now(), path: req.url ?? "", headers: req.headers, body, doc: parse(req.headers["content-type"], body) });
        res.writeHead(200).end("ok");
      });
    });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = make();
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/hook`, port, received,
    down: close,
    up: async () => {
      await listen(port);
    },
    close,
  };
}
