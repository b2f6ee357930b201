// The drain benchmark: `logharbor ship` drains a journal backlog into `logharbor serve` while the
// server is killed (SIGKILL) and restarted twice, behind a TCP proxy so the agent keeps its address.
// Reports entries/s, the agent's peak RSS (target < 150 MB), the disk buffer's peak size, retries,
// and the loss / duplicate counts from comparing the store with the journal (both must be 0).
//   node dist/bench/drain.js [--entries 1000000] [--seed 1] [--timeout-s N]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { ExportParser } from "../src/core/journal/export-parser.js";
import { journalIdentity } from "../src/core/journal/cursor.js";
import { startTcpProxy } from "../test/harness/tcp-proxy.js";
import { ensureDataset } from "./lib/dataset.js";
import { benchDir, cliArgv, requireCli } from "./lib/paths.js";
import { spawnTracked, stopTracked, TreeSampler } from "./lib/proc.js";
import { requestJson, startServe, type Server } from "./lib/servers.js";

const USAGE = "usage: node dist/bench/drain.js [--entries N] [--seed N] [--timeout-s N]";
const args = { entries: 1_000_000, seed: 1, timeoutS: 0 };
for (let i = 2; i < process.argv.length; i += 2) {
  const flag = process.argv[i]!;
  const v = process.argv[i + 1];
  if (flag === "--help" || flag === "-h") {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
  }
  if (v === undefined || !/^\d+$/.test(v)) {
    process.stderr.write(`bench: ${flag}: expected an integer, got ${JSON.stringify(v)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (flag === "--entries") args.entries = Number(v);
  else if (flag === "--seed") args.seed = Number(v);
  else if (flag === "--timeout-s") args.timeoutS = Number(v);
  else {
    process.stderr.write(`bench: unknown option ${flag}\n${USAGE}\n`);
    process.exit(2);
  }
}
const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
const timeoutMs = (args.timeoutS || Math.max(300, Math.ceil(args.entries / 1000) * 3)) * 1000;

async function metric(url: string, name: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    let sum = 0;
    for (const line of text.split("\n")) if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    return sum;
  } catch {
    return -1;
  }
}

/** The journal's identities, streamed (the whole export never sits in memory). */
async function journalIdents(dir: string): Promise<Set<string>> {
  const child = spawn("journalctl", [`--directory=${dir}`, "--merge", "--output=export", "--no-pager"], { stdio: ["ignore", "pipe", "inherit"] });
  const parser = new ExportParser();
  const out = new Set<string>();
  for await (const chunk of child.stdout) for (const e of parser.push(chunk as Buffer)) out.add(journalIdentity(e)!);
  for (const e of parser.end()) out.add(journalIdentity(e)!);
  return out;
}

requireCli();
mkdirSync(benchDir, { recursive: true });
const ds = await ensureDataset(args.entries, args.seed, log);
const tmp = mkdtempSync(join(benchDir, "drain-"));
const data = join(tmp, "data");
let serve: Server & { url: string } = await startServe(data);
const proxy = await startTcpProxy(Number(new URL(serve.url).port));
const created = await requestJson<{ log?: { token?: string } }>("POST", `${serve.url}/api/v1/logs`, { name: "drain" });
const token = created.log!.token!;
log(`draining ${args.entries} entries (${ds.files} journal files, ${(ds.bytes / 1e6).toFixed(0)} MB) with two server restarts`);
const began = Date.now();
const agent = spawnTracked([...cliArgv(), "ship", "--journal", "journalctl", "--journal-dir", ds.dir, "--to", proxy.url, "--token", token, "--state", join(tmp, "state"), "--start-at", "oldest", "--exit-when-idle", "--metrics", "127.0.0.1:0", "--log-level", "info"]);
let stderr = "";
let stdout = "";
agent.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1 << 20)));
agent.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
const exited = new Promise<number | null>((r) => agent.once("exit", (code) => r(code)));
const sampler = new TreeSampler(agent.pid!, 100);
let metricsUrl: string | undefined;
let peakBuffer = 0;
let restarts = 0;
let done = false;
void exited.then(() => (done = true));
const restartAt = [Math.floor(args.entries / 3), Math.floor((2 * args.entries) / 3)];
while (!done) {
  if (Date.now() - began > timeoutMs) {
    log(`timeout after ${timeoutMs} ms`);
    break;
  }
  metricsUrl ??= /metrics on (http:\/\/[^\s"]+)\/metrics/.exec(stderr)?.[1];
  if (metricsUrl !== undefined) {
    peakBuffer = Math.max(peakBuffer, await metric(metricsUrl, "logharbor_ship_buffered_bytes"));
    const acked = await metric(metricsUrl, "logharbor_ship_entries_acknowledged_total");
    if (restarts < restartAt.length && acked >= restartAt[restarts]!) {
      log(`restart ${restarts + 1}: SIGKILL of the server at ${acked} entries acknowledged`);
      serve.child.kill("SIGKILL");
      await new Promise((r) => serve.child.once("exit", r));
      serve = await startServe(data);
      proxy.retarget(Number(new URL(serve.url).port));
      restarts++;
    }
  }
  await sleep(200);
}
const code = await exited;
const seconds = (Date.now() - began) / 1000;
const peaks = sampler.stop();
const agentRssMb = (peaks["node"] ?? peaks["MainThread"] ?? Math.max(0, ...Object.values(peaks))) / 1024;
await stopTracked(serve.child);
await proxy.close();

log("comparing the store with the journal");
const want = await journalIdents(ds.dir);
const db = new Database(join(data, "logharbor.db"), { readonly: true });
let rows = 0;
const seen = new Set<string>();
let duplicated = 0;
let unexpected = 0;
for (const r of db.prepare<[], { ident: string }>("SELECT ident FROM events").iterate()) {
  rows++;
  if (seen.has(r.ident)) duplicated++;
  seen.add(r.ident);
  if (!want.has(r.ident)) unexpected++;
}
db.close();
let lost = 0;
for (const id of want) if (!seen.has(id)) lost++;
const retriesM = /(\d+) duplicates reported by the server/.exec(stdout)?.[1];
const result = {
  entries: args.entries,
  exitCode: code,
  seconds: Number(seconds.toFixed(1)),
  entriesPerSec: Math.round(args.entries / seconds),
  serverRestarts: restarts,
  agentPeakRssMb: Number(agentRssMb.toFixed(1)),
  agentPeakRssByProcessMb: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Number((v / 1024).toFixed(1))])),
  diskBufferPeakMb: Number((peakBuffer / 1e6).toFixed(1)),
  stored: rows,
  lost,
  duplicated,
  unexpected,
  duplicatesReportedByServer: retriesM === undefined ? null : Number(retriesM),
};
process.stdout.write(
  `drain ${result.entries} entries with ${restarts} server restarts: ${result.entriesPerSec} entries/s (${result.seconds} s); ` +
    `agent peak RSS ${result.agentPeakRssMb} MB (target < 150); disk buffer peak ${result.diskBufferPeakMb} MB; ` +
    `stored ${rows}, lost ${lost}, duplicated ${duplicated}, unexpected ${unexpected} (resent and deduplicated: ${result.duplicatesReportedByServer})\n`,
);
const out = join(benchDir, `drain-${args.entries}.json`);
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2) + "\n");
process.stdout.write(`results: ${out}\n`);
rmSync(tmp, { recursive: true, force: true });
process.exit(code === 0 && lost === 0 && duplicated === 0 && unexpected === 0 && restarts === 2 ? 0 : 1);
