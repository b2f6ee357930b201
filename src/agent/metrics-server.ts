// --metrics HOST:PORT: GET /metrics (Prometheus text) and GET /healthz (200 while the agent runs
// and no sink failed for good, 503 otherwise) on a small node:http server.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ShipMetrics } from "./metrics.js";

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(addr: { host: string; port: number }, metrics: ShipMetrics, health: () => { ok: boolean; detail: Record<string, unknown> }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (e: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(e));
        },
      );
      return;
    }
    if (req.method === "GET" && path === "/healthz") {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: h.ok ? "ok" : "failing", ...h.detail }));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "LH_ERR_NOT_FOUND", message: `${path}: expected /metrics or /healthz` } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(addr.port, addr.host, resolve);
  });
  server.unref();
  const a = server.address() as AddressInfo;
  const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
  return {
    url: `http://${host}:${a.port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
