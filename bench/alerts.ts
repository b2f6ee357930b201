// Alerts benchmark (issue: "ingest with 100 match/threshold alerts defined runs at >= 0.9x ingest with
// none; inactivity over 10,000 hosts evaluated in < 100 ms a tick"). In one run, against a real
// `logharbor serve` each time (fresh data dir):
// - token TCP: N lines over 4 connections, until every line is committed; with no alert, then with
//   100 alerts (50 match, 50 threshold with groupby(host), each on a rare failure's words, as alerts
//   are in practice; one line in 1,000 carries one) — rounds alternate, best of each kept;
// - journal batches: N export-format entries to the acked batch API, 1,000 a batch, 2 in flight;
// - in process: one tick of an inactivity alert over 10,000 hosts (p50 / p95 of 200 ticks).
//   node dist/bench/alerts.js [--lines N] [--rounds R]
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { AddressInfo } from "node:net";
import { encodeExportEntry } from "../src/core/journal/export-encoder.js";
import { InactivityEvaluator } from "../src/server/alerts/inactivity-evaluator.js";
import { EMPTY_STATE, type AlertDef } from "../src/server/alerts/model.js";
import { eventFilter } from "../src/server/query/event-filter.js";
import { planQuery } from "../src/server/query/plan.js";
import { requireCli } from "./lib/paths.js";
import { countOf, send, startServe } from "./lib/token-tcp.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const LINES = arg("--lines", 200_000);
const ROUNDS = arg("--rounds", 3);
const WORDS = ["GET", "POST", "/api/v1/orders", "/healthz", "user", "session", "timeout", "upstream", "cache", "miss", "hit", "db", "query", "ms", "status=200", "status=503", "retry", "worker", "queue", "payload"];

/** The bench's line i; one in 1,000 also carries one of the 50 rare failures the alerts watch for. */
function message(i: number): string {
  let s = `req-${i} host=web-${i % 7}`;
  for (let k = 0; k < 12; k++) s += " " + WORDS[(i * 31 + k * 7) % WORDS.length];
  if (i % 1000 === 7) s += ` panic${i % 50} error${i % 50}`;
  return s + ` took ${(i * 13) % 997}ms`;
}

async function post(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const j = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(j)}`);
  return j;
}

async function defineAlerts(url: string, webhook: string): Promise<void> {
  // What alerts watch for in practice: rare failures, each its own words (50 match, 50 threshold per host).
  for (let i = 0; i < 100; i++) {
    const body = i % 2 === 0
      ? { name: `match-${i}`, query: `where(panic${i % 50} AND took)`, webhook, match: true, throttle: "1m" }
      : { name: `threshold-${i}`, query: `where(error${i % 50}) groupby(host)`, webhook, threshold: 5, window: "5m" };
    await post(url, "/api/v1/alerts", body);
  }
}

async function tokenRound(alerts: boolean, webhook: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-alerts-"));
  const s = await startServe(dir);
  try {
    const token = ((await post(s.url, "/api/v1/logs", { name: "bench" }))["log"] as { token: string }).token;
    if (alerts) await defineAlerts(s.url, webhook);
    const lines = Array.from({ length: LINES }, (_, i) => `${token} ${message(i)}\n`);
    const per = Math.ceil(LINES / 4);
    const t0 = performance.now();
    await Promise.all([0, 1, 2, 3].map((c) => send(s.port, lines.slice(c * per, (c + 1) * per))));
    while ((await countOf(s.url)) < LINES) await sleep(20);
    return LINES / ((performance.now() - t0) / 1000);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function journalRound(alerts: boolean, webhook: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-alerts-"));
  const s = await startServe(dir);
  try {
    const token = ((await post(s.url, "/api/v1/logs", { name: "bench" }))["log"] as { token: string }).token;
    if (alerts) await defineAlerts(s.url, webhook);
    const base = Date.now() * 1000 - LINES * 1000;
    const batches: Buffer[] = [];
    for (let b = 0; b < LINES; b += 1000) {
      const parts: Buffer[] = [];
      for (let i = b; i < Math.min(LINES, b + 1000); i++) {
        parts.push(encodeExportEntry([
          ["__CURSOR", `s=bench;i=${i.toString(16)}`], ["__REALTIME_TIMESTAMP", String(base + i * 1000)], ["__MONOTONIC_TIMESTAMP", String(i)],
          ["__SEQNUM", String(i + 1)], ["__SEQNUM_ID", "0123456789abcdef0123456789abcdef"], ["_BOOT_ID", "0123456789abcdef0123456789abcdef"],
          ["_HOSTNAME", `web-${i % 7}`], ["PRIORITY", String(3 + (i % 4))], ["_SYSTEMD_UNIT", "api.service"], ["MESSAGE", message(i)],
        ]));
      }
      batches.push(Buffer.concat(parts));
    }
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= batches.length) return;
        const res = await fetch(`${s.url}/api/v1/ingest/journal`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" }, body: batches[i] });
        await res.text();
        if (res.status !== 200) throw new Error(`batch ${i}: ${res.status}`);
      }
    };
    await Promise.all([worker(), worker()]);
    return LINES / ((performance.now() - t0) / 1000);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function inactivityTick(): { p50: number; p95: number } {
  const now = Date.now();
  const def: AlertDef = { id: "a", name: "a", query: "", logs: [], trigger: { kind: "inactivity", forS: 600, per: "host" }, renotifyS: 0, webhook: "http://x/", secret: "", payload: "json", createdAt: 0 };
  const ctx = {
    def, state: structuredClone(EMPTY_STATE), watchSinceMs: now - 3600_000,
    changed: () => undefined, matched: () => undefined, notify: () => undefined, history: () => undefined,
  };
  const ev = new InactivityEvaluator(ctx, eventFilter([], planQuery("")), "host", 600);
  // 10,000 hosts, a tenth of them silent (firing after the first tick).
  ev.seed(Array.from({ length: 10_000 }, (_, i) => [`host-${i}`, i % 10 === 0 ? now - 7200_000 : now - 1000] as [string, number]));
  const times: number[] = [];
  for (let k = 0; k < 200; k++) {
    const t0 = performance.now();
    ev.tick(now + k * 1000);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[100]!, p95: times[190]! };
}

async function main(): Promise<void> {
  requireCli();
  const hook = createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end()));
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
  const best = { tcp0: 0, tcp100: 0, j0: 0, j100: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    best.tcp0 = Math.max(best.tcp0, await tokenRound(false, webhook));
    best.tcp100 = Math.max(best.tcp100, await tokenRound(true, webhook));
    best.j0 = Math.max(best.j0, await journalRound(false, webhook));
    best.j100 = Math.max(best.j100, await journalRound(true, webhook));
    console.log(`round ${r + 1}: token TCP ${Math.round(best.tcp0)} / ${Math.round(best.tcp100)} lines/s, journal ${Math.round(best.j0)} / ${Math.round(best.j100)} entries/s (best so far: none / 100 alerts)`);
  }
  hook.close();
  const ia = inactivityTick();
  console.log(`\n${LINES} entries, best of ${ROUNDS} rounds each`);
  console.log(`token TCP:      no alerts ${Math.round(best.tcp0)}/s, 100 alerts ${Math.round(best.tcp100)}/s  ratio ${(best.tcp100 / best.tcp0).toFixed(2)}x (target >= 0.9x)`);
  console.log(`journal batch:  no alerts ${Math.round(best.j0)}/s, 100 alerts ${Math.round(best.j100)}/s  ratio ${(best.j100 / best.j0).toFixed(2)}x (target >= 0.9x)`);
  console.log(`inactivity tick over 10,000 hosts: p50 ${ia.p50.toFixed(2)} ms, p95 ${ia.p95.toFixed(2)} ms (target < 100 ms: ${(ia.p95 / 100).toFixed(3)} of it)`);
}

await main();
