// A real `logharbor serve` (child process, port 0, temp data dir) with a few logs, for the e2e tests
// of other agents' protocols (OTLP, Loki, Elasticsearch): their clients ship to its HTTP port, and
// the tests read back through the query API, as a user would.
import { startServe, type Serve } from "./processes.js";
import { tempDir } from "./paths.js";

export interface ServedLog {
  id: string;
  name: string;
  token: string;
}

export interface AgentServe {
  url: string;
  serve: Serve;
  logs: Record<string, ServedLog>;
  stop(): Promise<void>;
}

export interface ApiEvent {
  id: number;
  log: string;
  ts_us: number;
  host: string | null;
  unit: string | null;
  priority: number | null;
  message: string;
  fields: Record<string, unknown>;
  parsed?: Record<string, unknown>;
}

export async function startAgentServe(logNames: string[], extra: string[] = []): Promise<AgentServe> {
  const dir = tempDir("lh-agents-");
  const serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off", ...extra]);
  try {
    const logs: Record<string, ServedLog> = {};
    for (const name of logNames) {
      const res = await fetch(`${serve.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
      if (res.status !== 201) throw new Error(`creating log ${name}: ${res.status} ${await res.text()}`);
      logs[name] = ((await res.json()) as { log: ServedLog }).log;
    }
    return {
      url: serve.url, serve, logs,
      async stop() {
        await serve.stop();
        dir.dispose();
      },
    };
  } catch (e) {
    await serve.stop();
    dir.dispose();
    throw e;
  }
}

/** Every event of a log matching a LEQL where() (all events for ""), oldest first, through /api/v1/query. */
export async function queryEvents(url: string, log: string, q = ""): Promise<ApiEvent[]> {
  const out: ApiEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const p = new URLSearchParams({ q: q === "" ? "" : `where(${q})`, log, from: "2000-01-01", to: new Date(Date.now() + 86_400_000).toISOString(), limit: "10000", order: "asc" });
    if (after !== undefined) p.set("after", after);
    const res = await fetch(`${url}/api/v1/query?${p}`);
    if (res.status !== 200) throw new Error(`GET /api/v1/query?${p}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { events: ApiEvent[]; next_page?: string };
    out.push(...page.events);
    if (page.next_page === undefined) return out;
    after = page.next_page;
  }
}

/** The number of events of a log (all logs for "") matching a LEQL query, through calculate(count). */
export async function countEvents(url: string, log: string, q = ""): Promise<number> {
  const where = q === "" ? "" : `where(${q}) `;
  const p = new URLSearchParams({ q: `${where}calculate(count)`, from: "2000-01-01", to: new Date(Date.now() + 86_400_000).toISOString() });
  if (log !== "") p.set("log", log);
  const res = await fetch(`${url}/api/v1/query?${p}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /api/v1/query?${p}: ${res.status} ${text}`);
  const v = (JSON.parse(text) as { statistics?: { count?: unknown } }).statistics?.count;
  if (typeof v !== "number") throw new Error(`no statistics.count in ${text.slice(0, 300)}`);
  return v;
}
