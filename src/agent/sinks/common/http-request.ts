// One HTTP request with node:http(s), for the sinks that speak someone else's HTTP API (Loki,
// Elasticsearch). Resolves with the status, headers and body of the answer (bounded); rejects on
// network errors and timeouts.
import http from "node:http";
import https from "node:https";
import { unbracketHost } from "../../../core/host.js";

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpTarget {
  url: URL;
  agent: http.Agent;
  timeoutMs: number;
  headers: http.OutgoingHttpHeaders;
}

export function httpAgent(url: URL, maxSockets: number): http.Agent {
  const o = { keepAlive: true, maxSockets };
  return url.protocol === "https:" ? new https.Agent(o) : new http.Agent(o);
}

export function httpRequest(t: HttpTarget, method: string, body: Buffer, signal: AbortSignal, maxAnswerBytes = 4 * 1024 * 1024): Promise<HttpAnswer> {
  const mod = t.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        method,
        protocol: t.url.protocol,
        hostname: unbracketHost(t.url.hostname),
        port: t.url.port || undefined,
        path: t.url.pathname + t.url.search,
        headers: { ...t.headers, "Content-Length": body.length },
        agent: t.agent,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let n = 0;
        res.on("data", (d: Buffer) => {
          if (n < maxAnswerBytes) chunks.push(d);
          n += d.length;
        });
        res.once("error", reject);
        res.once("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.setTimeout(t.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${t.timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.once("error", reject);
    req.end(body);
  });
}
