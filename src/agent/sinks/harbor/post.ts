// One POST of a (gzip'd) batch to the ingest endpoint, with node:http(s). Resolves with the status,
// headers and (small) body of the answer; rejects on network errors and timeouts.
import http from "node:http";
import https from "node:https";
import { unbracketHost } from "../../../core/host.js";
import { AGENT_REPORT_HEADER } from "../../../core/wire/agent-report.js";

export interface PostResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface PostTarget {
  url: URL;
  token: string | undefined;
  agent: http.Agent;
  timeoutMs: number;
  encoding: "gzip" | "identity";
  /** X-Logharbor-Agent: the agent's report (base64url JSON), when it sends one. */
  agentReport?: string | undefined;
}

const MAX_ANSWER = 64 * 1024;

export function postBatch(t: PostTarget, body: Buffer, signal: AbortSignal): Promise<PostResult> {
  const mod = t.url.protocol === "https:" ? https : http;
  const headers: http.OutgoingHttpHeaders = {
    "Content-Type": "application/vnd.fdo.journal",
    "Content-Encoding": t.encoding,
    "Content-Length": body.length,
    Accept: "application/json",
  };
  if (t.token !== undefined) headers["Authorization"] = `Bearer ${t.token}`;
  if (t.agentReport !== undefined) headers[AGENT_REPORT_HEADER] = t.agentReport;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        method: "POST",
        protocol: t.url.protocol,
        hostname: unbracketHost(t.url.hostname),
        port: t.url.port || undefined,
        path: t.url.pathname,
        headers,
        agent: t.agent,
        signal,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          if (text.length < MAX_ANSWER) text += d;
        });
        res.once("error", reject);
        res.once("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.setTimeout(t.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${t.timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.once("error", reject);
    req.end(body);
  });
}
