// Token TCP ingest benchmark: 4 concurrent connections send N "TOKEN message" lines to a real
// `logharbor serve` (child process); measured until every line is committed and searchable.
// Beside it, in the same run, the storage limit: a bare better-sqlite3 insert of the same messages
// into a table plus an external-content FTS5 index, in large transactions, with the server's
// pragmas; and our store's own limits: SqliteStore.insert (one thread) and insertAsync through the
// writer thread with 2 batches in flight (what the line protocols use). Prints lines/s, MB/s, the
// ratios, the server's peak RSS and the most bytes its line queue held.
//   node dist/bench/ingest-tcp.js [--lines N] [--connections C] [--rounds R]
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { lineEvent } from "../src/server/ingest/common/line-event.js";
import { applyPragmas } from "../src/server/storage/sqlite/schema.js";
import { SqliteStore } from "../src/server/storage/sqlite/sqlite-store.js";
import { requireCli } from "./lib/paths.js";
import { countOf, cpuSeconds, message, peakRssMiB, send, startServe } from "./lib/token-tcp.js";
import { bareFtsTransaction } from "./lib/bare-fts.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const LINES = arg("--lines", 400_000);
const CONNS = arg("--connections", 4);
const ROUNDS = arg("--rounds", 3);






function bareInsert(messages: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-fts-"));
  try {
    const db = new Database(join(dir, "bare.db"));
    applyPragmas(db);
    const tx = bareFtsTransaction(db, (m: string) => m);
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += 50_000) tx(messages.slice(i, i + 50_000));
    const s = (performance.now() - t0) / 1000;
    db.close();
    return s;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The least CPU time (this process, both threads) insertAsync took for all the lines. */
let asyncCpuS = Infinity;

/** Our store through its writer thread: insertAsync of the same events, 10k a batch, 2 in flight. */
async function storeInsertAsync(messages: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-store-"));
  try {
    const store = SqliteStore.open(dir);
    store.startWriterThread();
    const log = store.createLog("bench");
    const events = messages.map((m) => lineEvent({ message: m, host: "127.0.0.1", transport: "token-tcp" }));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let prev: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < events.length; i += 10_000) {
      const p = store.insertAsync(log.id, events.slice(i, i + 10_000));
      await prev;
      prev = p;
    }
    await prev;
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    asyncCpuS = Math.min(asyncCpuS, (c.user + c.system) / 1e6);
    await store.close();
    return s;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function queuedBytes(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^logharbor_ingest_queued_bytes (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The least CPU time SqliteStore.insert took for all the lines (one thread: CPU time is its cost). */
let storeCpuS = Infinity;

/** Our store's own limit: SqliteStore.insert of the same events in 10k-event transactions. */
function storeInsert(messages: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-store-"));
  try {
    const store = SqliteStore.open(dir);
    const log = store.createLog("bench");
    const events = messages.map((m) => lineEvent({ message: m, host: "127.0.0.1", transport: "token-tcp" }));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += 10_000) store.insert(log.id, events.slice(i, i + 10_000));
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    storeCpuS = Math.min(storeCpuS, (c.user + c.system) / 1e6);
    void store.close();
    return s;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface IngestRun {
  storedS: number;
  /** The server's CPU seconds (both threads) while storing the lines. */
  cpuS: number;
  sentS: number;
  searchable: boolean;
  rss: number;
  peakQueued: number;
}

/** One ingest run against a fresh server: every line sent over CONNS connections, until stored. */
async function ingestRun(messages: string[]): Promise<IngestRun> {
  const dataDir = mkdtempSync(join(tmpdir(), "lh-bench-ingest-"));
  const server = await startServe(dataDir);
  try {
    const created = (await (await fetch(`${server.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"bench"}' })).json()) as { log: { token: string } };
    const token = created.log.token;
    const lines = messages.map((m) => `${token} ${m}\n`);
    const per = Math.ceil(LINES / CONNS);
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNS }, (_, c) => send(server.port, lines.slice(c * per, (c + 1) * per))));
    const sentS = (performance.now() - t0) / 1000;
    let peakQueued = 0;
    // /metrics costs the server a few ms of CPU: sampled every 10th poll only.
    for (let i = 0; (await countOf(server.url)) < LINES; i++) {
      if (i % 10 === 0) peakQueued = Math.max(peakQueued, await queuedBytes(server.url));
      await sleep(20);
    }
    const storedS = (performance.now() - t0) / 1000;
    const cpuS = cpuSeconds(server.pid) - cpu0;
    const probe = (await (await fetch(`${server.url}/api/v1/events?q=${encodeURIComponent(`"req-${LINES - 1} "`)}&limit=5`)).json()) as { events: unknown[] };
    return { storedS, cpuS, sentS, searchable: probe.events.length > 0, rss: peakRssMiB(server.pid), peakQueued };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * ROUNDS rounds, each measuring the four in turn; the best time of each is reported. On a shared
 * machine other work only slows a measurement down, so the best of several is the fairest figure,
 * and interleaving gives each the same chances.
 */
async function main(): Promise<void> {
  requireCli();
  const messages = Array.from({ length: LINES }, (_, i) => message(i));
  const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
  let best: IngestRun | undefined;
  let bareS = Infinity;
  let storeS = Infinity;
  let asyncS = Infinity;
  let rss = 0;
  let peakQueued = 0;
  let leastCpuS = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const run = await ingestRun(messages);
    if (!run.searchable) throw new Error("the last line sent is not searchable");
    if (best === undefined || run.storedS < best.storedS) best = run;
    leastCpuS = Math.min(leastCpuS, run.cpuS);
    rss = Math.max(rss, run.rss);
    peakQueued = Math.max(peakQueued, run.peakQueued);
    bareS = Math.min(bareS, bareInsert(messages));
    storeS = Math.min(storeS, storeInsert(messages));
    asyncS = Math.min(asyncS, await storeInsertAsync(messages));
    console.log(`round ${r + 1}: token TCP ${Math.round(LINES / run.storedS)} lines/s, bare ${Math.round(LINES / bareS)}, insert ${Math.round(LINES / storeS)}, insertAsync ${Math.round(LINES / asyncS)} rows/s (best so far)`);
  }
  const { storedS, sentS } = best!;
  const lps = LINES / storedS;
  const bareLps = LINES / bareS;
  console.log(`lines: ${LINES} (${(bytes / 1e6).toFixed(1)} MB of messages), ${CONNS} connections, best of ${ROUNDS} rounds`);
  console.log(`token TCP → stored and searchable: ${storedS.toFixed(2)} s (sent in ${sentS.toFixed(2)} s), ${Math.round(lps)} lines/s, ${(bytes / 1e6 / storedS).toFixed(1)} MB/s; last line searchable: yes`);
  console.log(`bare better-sqlite3 + FTS5 insert (same messages, 50k-row transactions): ${bareS.toFixed(2)} s, ${Math.round(bareLps)} rows/s, ${(bytes / 1e6 / bareS).toFixed(1)} MB/s`);
  console.log(`SqliteStore.insert (our schema: dedupe + time indexes, same events, 10k-event transactions): ${storeS.toFixed(2)} s, ${Math.round(LINES / storeS)} rows/s`);
  console.log(`SqliteStore.insertAsync (the writer thread, 10k-event batches, 2 in flight): ${asyncS.toFixed(2)} s, ${Math.round(LINES / asyncS)} rows/s`);
  console.log(`CPU per line (less sensitive to a shared machine than wall time): the server ${((leastCpuS / LINES) * 1e6).toFixed(1)} µs (both threads: receive, parse, hand over, insert), SqliteStore.insert ${((storeCpuS / LINES) * 1e6).toFixed(1)} µs, insertAsync ${((asyncCpuS / LINES) * 1e6).toFixed(1)} µs (both threads) → the server spends ${(leastCpuS / storeCpuS).toFixed(2)}x the CPU of insert, ${(leastCpuS / asyncCpuS).toFixed(2)}x that of insertAsync`);
  console.log(`ratio: ${((lps / bareLps) * 100).toFixed(0)}% of the bare FTS5 insert (target >= 80%), ${((lps / (LINES / storeS)) * 100).toFixed(0)}% of SqliteStore.insert, ${((lps / (LINES / asyncS)) * 100).toFixed(0)}% of insertAsync; server peak RSS ${rss.toFixed(0)} MiB; line queue peak (sampled) ${(peakQueued / 1048576).toFixed(1)} MiB`);
}

await main();
