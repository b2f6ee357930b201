// A real `logharbor serve` child process with listeners on port 0, and what the stream-protocol
// e2e tests ask of it over its HTTP API: a listener's real port, new logs, searches, metrics.
import { tempDir } from "./paths.js";
import { startServe, waitFor, type Serve } from "./processes.js";

export interface EventJson {
  id: number;
  log: string;
  ts: string;
  ts_us: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  message: string;
  fields: Record<string, unknown>;
}

export interface ServeWithListeners {
  serve: Serve;
  url: string;
  /** The real port of a listener by its protocol name as serve prints it (forward, gelf-udp, ...). */
  port(protocol: string): Promise<number>;
  /** Creates a log; its ingest token. */
  createLog(name: string): Promise<string>;
  /** Every event of a log matching a LEQL query (oldest first). */
  events(log: string, q?: string): Promise<EventJson[]>;
  count(log: string): Promise<number>;
  /** Sum of a metric's samples whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export async function startServeWithListeners(flags: string[]): Promise<ServeWithListeners> {
  const dir = tempDir("lh-streams-");
  // The token TCP listener's default port is not needed here: off, so parallel servers never share it.
  const serve = await startServe(dir.path, flags.includes("--tcp") ? flags : ["--tcp", "off", ...flags]);
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const r = await fetch(`${serve.url}${path}`, init);
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    serve, url: serve.url,
    port: async (protocol) => Number(await waitFor(`the ${protocol} port`, () => new RegExp(`: ${protocol} listening on \\S+:(\\d+)`).exec(serve.stdout())?.[1])),
    createLog: async (name) => (await call<{ log: { token: string } }>("/api/v1/logs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) })).log.token,
    async events(log, q = "") {
      const out: EventJson[] = [];
      let after: string | undefined;
      for (;;) {
        const p = new URLSearchParams({ log, q, order: "asc", limit: "10000", ...(after ? { after } : {}) });
        const page = await call<{ events: EventJson[]; next_page?: string }>(`/api/v1/events?${p}`);
        out.push(...page.events);
        if (!page.next_page) return out;
        after = page.next_page;
      }
    },
    async count(log) {
      const r = await call<{ logs: Array<{ name: string; events: number }> }>("/api/v1/logs");
      return r.logs.find((l) => l.name === log)?.events ?? 0;
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`${serve.url}/metrics`)).text();
      const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      let total = 0;
      for (const line of text.split("\n")) {
        if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
        if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(" ") + 1));
      }
      return total;
    },
    async stop() {
      await serve.stop();
      dir.dispose();
    },
  };
}
