// What a long query costs the rest of the server: the round trip of an acknowledged ingest request
// (POST /v1/logs/TOKEN, answered after its commit) every 20 ms, while a client runs full-scan queries
// back to back over N generated entries. Measured with the queries on the main thread
// (--query-threads 0) and on query threads (the default, 2), and beside them, in the same run, with
// no query at all (the reference). Prints p50 / p99 / max of the round trip and the queries' own
// latency.
//   node dist/bench/query-isolation.js [--entries 1000000] [--seconds 10] [--keep DIR]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/server.js";
import { generatedStore } from "./lib/generated-store.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const keepAt = process.argv.indexOf("--keep");
const ENTRIES = arg("--entries", 1_000_000);
const SECONDS = arg("--seconds", 10);
const dir = keepAt > 0 ? process.argv[keepAt + 1]! : mkdtempSync(join(tmpdir(), "lh-bench-isolation-"));
const say = (s: string) => process.stdout.write(`${s}\n`);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** A regular expression reads every message; a groupby over a message field reads every parsed row. */
const QUERIES = ["where(/refused|timed out/) calculate(count)", "where(status>=500) groupby(status) calculate(count)"];

interface Phase { label: string; acks: number[]; queries: number[] }

async function phase(label: string, queryThreads: number, withQueries: boolean): Promise<Phase> {
  const server = await startServer({ dataDir: dir, http: "127.0.0.1:0", queryThreads, logger: createLogger({ level: "error", destination: process.stderr }) });
  try {
    const token = (server.store.logByName("acks") ?? server.store.createLog("acks")).token;
    const until = performance.now() + SECONDS * 1000;
    const acks: number[] = [];
    const queries: number[] = [];
    const prober = (async () => {
      for (let i = 0; performance.now() < until; i++) {
        const t0 = performance.now();
        const r = await fetch(`${server.url}/v1/logs/${token}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ probe: i }) });
        await r.arrayBuffer();
        if (r.status !== 204) throw new Error(`ingest answered ${r.status}`);
        acks.push(performance.now() - t0);
        await sleep(20);
      }
    })();
    const querier = withQueries ? (async () => {
      for (let i = 0; performance.now() < until; i++) {
        const t0 = performance.now();
        const r = await fetch(`${server.url}/api/v1/query`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ q: QUERIES[i % QUERIES.length], log: "bench", budget_ms: 10_000 }) });
        const body = (await r.json()) as { partial?: boolean };
        if (r.status !== 200 || body.partial) throw new Error(`query answered ${r.status}${body.partial ? " (partial)" : ""}`);
        queries.push(performance.now() - t0);
      }
    })() : Promise.resolve();
    await Promise.all([prober, querier]);
    return { label, acks, queries };
  } finally {
    await server.close();
  }
}

const data = await generatedStore(dir, ENTRIES, 24 * 3600 * 1e6);
say(data.loaded ? `bench/query-isolation: loaded ${ENTRIES} entries in ${data.seconds.toFixed(1)} s (${dir})` : `bench/query-isolation: reusing the store in ${dir}`);
try {
  const phases = [
    await phase("no queries (reference)", 2, false),
    await phase("queries on the main thread (--query-threads 0)", 0, true),
    await phase("queries on query threads (--query-threads 2)", 2, true),
  ];
  const ms = (x: number) => x.toFixed(1).padStart(8);
  say(`ingest round trip every 20 ms for ${SECONDS} s over ${data.entries} entries; queries back to back: ${QUERIES.join(" | ")}`);
  say(`${"".padEnd(50)}  acks  ack p50   ack p99   ack max  queries  query p50`);
  for (const p of phases) {
    say(`${p.label.padEnd(50)} ${String(p.acks.length).padStart(5)} ${ms(pct(p.acks, 50))}  ${ms(pct(p.acks, 99))}  ${ms(Math.max(...p.acks))} ${String(p.queries.length).padStart(8)}  ${p.queries.length ? ms(pct(p.queries, 50)) : "       -"}`);
  }
  const [ref, main, threads] = phases as [Phase, Phase, Phase];
  say(`ratios (ack p99 vs no queries): main thread ${(pct(main.acks, 99) / pct(ref.acks, 99)).toFixed(1)}x, query threads ${(pct(threads.acks, 99) / pct(ref.acks, 99)).toFixed(1)}x`);
} finally {
  if (keepAt < 0) rmSync(dir, { recursive: true, force: true });
}
