// Shared by the durability tests: a served log with its token, the agent's argv, reading metrics.
import { runCli } from "./processes.js";

export async function createLog(serverUrl: string, name: string): Promise<string> {
  const r = await runCli(["logs", "create", name, "--quiet", "--server", serverUrl]);
  if (r.code !== 0) throw new Error(`logs create failed: ${r.stderr}`);
  return r.stdout.trim();
}

export async function logCount(serverUrl: string, name: string): Promise<number> {
  try {
    const r = await fetch(`${serverUrl}/api/v1/logs`);
    const { logs } = (await r.json()) as { logs: { name: string; events: number }[] };
    return logs.find((l) => l.name === name)?.events ?? 0;
  } catch {
    return -1;
  }
}

/** The agent's metrics URL, from its "metrics on URL/metrics" log line. */
export function metricsUrl(stderr: string): string | undefined {
  return /metrics on (http:\/\/[^\s"]+)\/metrics/.exec(stderr)?.[1];
}

/** Sum of a metric's samples (all label sets) in Prometheus text, or undefined when absent. */
export async function readMetric(url: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum: number | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/** A small seeded random generator (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
