// Shared by the hostile-* e2e tests: a real `logharbor serve`, a log and its token, and probes
// that the server still answers everyone else while an attack runs.
import { readFileSync } from "node:fs";
import { tempDir } from "./paths.js";
import { startServe, waitFor, type Serve } from "./processes.js";

export interface Target {
  serve: Serve;
  token: string;
  /** token TCP host:port when started with it. */
  tcpPort?: number;
  stop(): Promise<number | string>;
}

/** Starts a server (loopback: no key needed) and creates log "h". */
export async function startTarget(extra: string[] = ["--tcp", "off", "--tls", "off"]): Promise<Target> {
  const dir = tempDir("lh-hostile-");
  const serve = await startServe(dir.path, extra);
  const res = await fetch(`${serve.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "h" }) });
  const token = ((await res.json()) as { log: { token: string } }).log.token;
  const tcp = /token-tcp listening on [^:\s]+:(\d+)/.exec(serve.stdout())?.[1];
  return {
    serve, token, ...(tcp ? { tcpPort: Number(tcp) } : {}),
    async stop() {
      const code = await serve.stop();
      dir.dispose();
      return code;
    },
  };
}

/** Posts one line to the Logentries webhook; resolves with the status. */
export async function ingestLine(t: Target, line: string): Promise<number> {
  const r = await fetch(`${t.serve.url}/noformat/logs/${t.token}`, { method: "POST", body: line, signal: AbortSignal.timeout(60_000) });
  await r.arrayBuffer();
  return r.status;
}

/** /healthz answers (a generous timeout: a frozen event loop never answers at all). */
export async function healthy(t: Target): Promise<boolean> {
  const r = await fetch(`${t.serve.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
  return r.status === 200;
}

/** Waits until a search finds `text` in a message. */
export async function stored(t: Target, text: string): Promise<void> {
  await waitFor(`"${text}" stored`, async () => {
    const r = await fetch(`${t.serve.url}/api/v1/events?q=${encodeURIComponent(`"${text}"`)}&limit=1`);
    const j = (await r.json()) as { events?: unknown[] };
    return (j.events?.length ?? 0) > 0 || undefined;
  }, 60_000);
}

/** The server process's resident memory, bytes. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

/** POSTs JSON; resolves with status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: { error?: { code: string; message: string; position?: number } } & Record<string, unknown> }> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(120_000) });
  const text = await r.text();
  return { status: r.status, json: text === "" ? {} : (JSON.parse(text) as never) };
}
