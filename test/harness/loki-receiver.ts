// A receiver for Loki's push API as documented (POST /loki/api/v1/push, JSON body, optionally
// gzip'd; 204 on success), keeping Loki's ordering rule: within a stream an entry older than the
// newest stored is ignored and the push answered 400 with Loki's text
// ("entry with timestamp ... ignored, reason: 'entry out of order' for stream: {...}" ... "total
// ignored: N out of M"), the other entries stored. `failNext(status, n)` answers the next n pushes
// with that status (429: "Ingestion rate limit exceeded"). Real Loki is not available here.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export interface LokiPush {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
}

export interface LokiReceiver {
  url: string;
  /** Stored lines per stream key, in order. */
  streams: Map<string, { labels: Record<string, string>; values: [string, string][] }>;
  requests: { headers: http.IncomingHttpHeaders; push: LokiPush | undefined; status: number }[];
  failNext(status: number, times: number): void;
  close(): Promise<void>;
}

const streamKey = (labels: Record<string, string>) => "{" + Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(", ") + "}";

export async function startLokiReceiver(): Promise<LokiReceiver> {
  const streams: LokiReceiver["streams"] = new Map();
  const requests: LokiReceiver["requests"] = [];
  let failing: { status: number; times: number } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const answer = (status: number, body = "") => {
        res.writeHead(status, body ? { "Content-Type": "text/plain; charset=utf-8" } : {});
        res.end(body);
      };
      if (req.method !== "POST" || req.url !== "/loki/api/v1/push") return answer(404, "404 page not found\n");
      let push: LokiPush | undefined;
      try {
        const raw = Buffer.concat(chunks);
        push = JSON.parse((req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8")) as LokiPush;
      } catch (e) {
        requests.push({ headers: req.headers, push: undefined, status: 400 });
        return answer(400, `loghttp.PushRequest.Streams: ReadArray: expect [ or n, but found ${String(e).slice(0, 20)}\n`);
      }
      if (failing !== undefined && failing.times > 0) {
        failing.times--;
        requests.push({ headers: req.headers, push, status: failing.status });
        return answer(failing.status, failing.status === 429 ? "Ingestion rate limit exceeded for user fake (limit: 4194304 bytes/sec) while attempting to ingest '10' lines totaling '1000' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased\n" : "internal server error\n");
      }
      const ignored: string[] = [];
      let total = 0;
      for (const s of push.streams) {
        const key = streamKey(s.stream);
        let stored = streams.get(key);
        if (stored === undefined) streams.set(key, (stored = { labels: s.stream, values: [] }));
        for (const v of s.values) {
          total++;
          const newest = stored.values.at(-1);
          if (newest !== undefined && BigInt(v[0]) < BigInt(newest[0])) {
            ignored.push(`entry with timestamp ${new Date(Number(BigInt(v[0]) / 1_000_000n)).toISOString()} ignored, reason: 'entry out of order' for stream: ${key},`);
          } else stored.values.push(v);
        }
      }
      if (ignored.length > 0) {
        requests.push({ headers: req.headers, push, status: 400 });
        return answer(400, `${ignored.join("\n")}\ntotal ignored: ${ignored.length} out of ${total}\n`);
      }
      requests.push({ headers: req.headers, push, status: 204 });
      answer(204);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streams,
    requests,
    failNext(status, times) {
      failing = { status, times };
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
