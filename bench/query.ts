// The query benchmark (issue 5): on N generated entries stored through the store's own insert path
// (journal export → journalEntryToEvent → SqliteStore.insert, so FTS, indexes and message-field
// parsing are all on), p50/p95 of:
//   q1 a rare keyword anywhere (events, newest 100)
//   q2 where(unit=nginx.service AND status>=500) calculate(count) timeslice(60) over 24 h
//   q3 groupby(host) calculate(count) over 24 h
//   q4 live tail latency, POST /api/v1/ingest/journal → Server-Sent Event at a client
//   h  the web page's histogram (issue 6): `QUERY timeslice(120)` over the last 24 h, for a few QUERYs
// each beside the same question answered by a plain full scan of the SQLite table in the same run
// (NOT INDEXED, fields read from the JSON columns; parsed fields joined by id), as the ratio scan/ours; for q4, beside the ingest
// request's own round trip. Also the ingest rate with indexing on, the share of it spent parsing
// message fields, and stored bytes per entry.
//   node dist/bench/query.js [--entries 1000000] [--runs 20] [--scan-runs N] [--seed 1] [--keep DIR]
// (--scan-runs: runs of each full-scan reference; default 3-5 for q1-q3, 1 for the histograms.)
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { encodeExportEntry } from "../src/core/journal/export-encoder.js";
import { ExportParser } from "../src/core/journal/export-parser.js";
import { generateEntries } from "../src/demo/generator.js";
import { journalEntryToEvent } from "../src/server/ingest/journal/to-event.js";
import { executeQuery } from "../src/server/query/execute/index.js";
import { planQuery } from "../src/server/query/plan.js";
import { parseMessageFields } from "../src/server/storage/message-fields.js";
import { SqliteStore } from "../src/server/storage/sqlite/sqlite-store.js";
import type { NewEvent } from "../src/server/storage/store.js";
import { startServer } from "../src/server/server.js";
import { createLogger } from "../src/server/logger.js";
import { readSse } from "../src/cli/sse.js";
import { Writable } from "node:stream";

interface Args { entries: number; runs: number; seed: number; keep: string | undefined; scanRuns: number | undefined }

function args(): Args {
  const a: Args = { entries: 100_000, runs: 20, seed: 1, keep: undefined, scanRuns: undefined };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[++i];
    if (v === undefined) usage(`${k} needs a value`);
    if (k === "--entries" || k === "--runs" || k === "--seed") {
      if (!/^\d+$/.test(v)) usage(`${k}: expected an integer, got "${v}"`);
      a[k.slice(2) as "entries" | "runs" | "seed"] = Number(v);
    } else if (k === "--scan-runs") {
      if (!/^[1-9]\d*$/.test(v)) usage(`${k}: expected an integer >= 1, got "${v}"`);
      a.scanRuns = Number(v);
    } else if (k === "--keep") a.keep = v;
    else usage(`unknown option ${k}`);
  }
  return a;
}

function usage(problem: string): never {
  process.stderr.write(`bench/query: ${problem}\nusage: node dist/bench/query.js [--entries N] [--runs N] [--scan-runs N] [--seed N] [--keep DIR]\n`);
  process.exit(2);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function time(runs: number, fn: () => unknown, warm = true): { p50: number; p95: number; result: unknown } {
  const ts: number[] = [];
  let result: unknown;
  if (warm) fn(); // warm the page cache and statement paths once
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    ts.push(performance.now() - t);
  }
  return { p50: pct(ts, 50), p95: pct(ts, 95), result };
}

const RARE = "zq7needle";
const a = args();
const endUs = Date.UTC(2024, 5, 1) * 1000;
const dayUs = 24 * 3600 * 1e6;
const dir = a.keep ?? mkdtempSync(join(tmpdir(), "lh-bench-query-"));
const out: string[] = [];
const say = (s: string) => {
  out.push(s);
  process.stdout.write(`${s}\n`);
};

say(`bench/query: ${a.entries} entries over 24 h, seed ${a.seed}, ${a.runs} runs per query, data in ${dir}`);

// ---- load
if (!existsSync(join(dir, "logharbor.db"))) {
  const store = SqliteStore.open(dir);
  const log = store.createLog("bench");
  let convertMs = 0;
  let insertMs = 0;
  let parseMs = 0;
  let batch: NewEvent[] = [];
  const parser = new ExportParser();
  let n = 0;
  const flush = () => {
    const t = performance.now();
    store.insert(log.id, batch);
    insertMs += performance.now() - t;
    // The share of message-field parsing inside insert, measured apart on the same messages.
    const p = performance.now();
    for (const e of batch) parseMessageFields(e.message);
    parseMs += performance.now() - p;
    batch = [];
  };
  for (const fields of generateEntries({ count: a.entries, seed: a.seed, endUs, spanUs: dayUs })) {
    const t = performance.now();
    const raw = encodeExportEntry(n % Math.max(1, Math.floor(a.entries / 10)) === 7 ? fields.map(([k, v]) => (k === "MESSAGE" ? [k, `${String(v)} ${RARE}`] as const : [k, v] as const)) : fields);
    for (const entry of parser.push(raw)) batch.push(journalEntryToEvent(entry));
    convertMs += performance.now() - t;
    n++;
    if (batch.length >= 2000) flush();
  }
  for (const entry of parser.end()) batch.push(journalEntryToEvent(entry));
  if (batch.length > 0) flush();
  store.close();
  say(`ingest: ${Math.round(a.entries / (insertMs / 1000))} entries/s into the store (FTS5 + 3 indexes + message fields + minute rollup, batches of 2000, fsync per batch); ` +
    `message-field parsing ${((parseMs / insertMs) * 100).toFixed(1)}% of it (${((parseMs * 1000) / a.entries).toFixed(2)} µs/entry); ` +
    `journal export → event ${Math.round(a.entries / (convertMs / 1000))} entries/s`);
}
const ref = new Database(join(dir, "logharbor.db"));
ref.pragma("wal_checkpoint(TRUNCATE)");
const bytes = statSync(join(dir, "logharbor.db")).size;
const count = (ref.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
const parsedShare = (ref.prepare("SELECT count(*) AS n FROM event_parsed").get() as { n: number }).n / count;
say(`stored: ${count} entries, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(bytes / count)} bytes/entry; ${(parsedShare * 100).toFixed(0)}% of entries have parsed message fields`);

// ---- queries
const sink = new Writable({ write: (_c, _e, done) => done() });
const server = await startServer({ dataDir: dir, http: "127.0.0.1:0", logger: createLogger({ level: "warn", destination: sink }) });
const store = server.store;
const from = endUs - dayUs;
const range = { logIds: [] as string[], fromUs: from, toUs: endUs };
const run = (q: string) => () => executeQuery(store, planQuery(q), { ...range, budgetMs: 60_000 });
const refRuns = a.scanRuns ?? Math.max(3, Math.min(a.runs, 5));

const rows: string[][] = [];
const row = (name: string, ours: { p50: number; p95: number }, scan: { p50: number; p95: number }, note: string) => {
  rows.push([name, ours.p50.toFixed(1), ours.p95.toFixed(1), scan.p50.toFixed(1), (scan.p50 / ours.p50).toFixed(1) + "x", note]);
};

{
  const ours = time(a.runs, run(RARE));
  const stmt = ref.prepare(`SELECT id FROM events NOT INDEXED WHERE ts >= ? AND ts < ? AND message LIKE ? ORDER BY ts DESC LIMIT 100`);
  const scan = time(refRuns, () => stmt.all(from, endUs, `%${RARE}%`));
  row("q1 rare keyword", ours, scan, `${(ours.result as { events: unknown[] }).events.length} events`);
}
{
  const ours = time(a.runs, run("where(unit=nginx.service AND status>=500) calculate(count) timeslice(60)"));
  const stmt = ref.prepare(
    `SELECT (ts - CAST(? AS INTEGER)) / 1440000000 AS b, count(*) FROM events e NOT INDEXED LEFT JOIN event_parsed p ON p.id = e.id WHERE ts >= ? AND ts < ? ` +
    `AND json_extract(fields, '$._SYSTEMD_UNIT') = 'nginx.service' AND CAST(json_extract(p.parsed, '$.status') AS REAL) >= 500 GROUP BY b`,
  );
  const scan = time(refRuns, () => stmt.all(from, from, endUs));
  row("q2 unit+status timeslice(60)", ours, scan, `count ${(ours.result as { value: number }).value}`);
}
{
  const ours = time(a.runs, run("groupby(host) calculate(count)"));
  const stmt = ref.prepare(`SELECT json_extract(fields, '$._HOSTNAME') AS h, count(*) FROM events NOT INDEXED WHERE ts >= ? AND ts < ? GROUP BY h`);
  const scan = time(refRuns, () => stmt.all(from, endUs));
  row("q3 groupby(host) count", ours, scan, `${(ours.result as { groups: unknown[] }).groups.length} groups`);
}
{
  // Extra: the JSON status of the app containers (the demo's nginx access lines carry no status= field).
  const ours = time(a.runs, run("where(container STARTS-WITH orders-api AND status>=400) groupby(req.method, status) calculate(average:duration_ms)"));
  row("q5 JSON fields groupby avg", ours, { p50: NaN, p95: NaN }, `${(ours.result as { groups: unknown[] }).groups.length} groups`);
}

// ---- issue 6: the web page's histogram, `QUERY timeslice(120)` over the last 24 h as the page asks
// it (a window that does not start on a minute), beside a plain full scan answering the same counts
// (one run: a scan at 10M entries takes many seconds).
{
  const shift = 12_345_678;
  const hFrom = from + shift;
  const hTo = endUs + shift;
  const width = Math.ceil((hTo - hFrom) / 120);
  const scanOf = (cond: string) =>
    ref.prepare(
      `SELECT (ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, count(*) AS n FROM events e NOT INDEXED LEFT JOIN event_parsed p ON p.id = e.id ` +
        `WHERE ts >= ? AND ts < ? AND ${cond} GROUP BY b`,
    );
  const histograms: Array<[string, string]> = [
    ["", "1"],
    ["error", "message LIKE '%error%'"],
    ["host = node-1", "json_extract(fields, '$._HOSTNAME') = 'node-1'"],
    ["unit = nginx.service AND rt > 1", "json_extract(fields, '$._SYSTEMD_UNIT') = 'nginx.service' AND CAST(json_extract(p.parsed, '$.rt') AS REAL) > 1"],
    ["status >= 500", "CAST(json_extract(p.parsed, '$.status') AS REAL) >= 500"],
  ];
  for (const [q, cond] of histograms) {
    const ours = time(a.runs, () => executeQuery(store, planQuery(`${q} timeslice(120)`), { logIds: [], fromUs: hFrom, toUs: hTo, budgetMs: 60_000 }));
    const st = scanOf(cond);
    let n = 0;
    const scan = time(a.scanRuns ?? 1, () => {
      n = (st.all(hFrom, width, hFrom, hTo) as Array<{ n: number }>).reduce((x, r) => x + r.n, 0);
    }, false);
    row(`h histogram "${q}"`, ours, scan, `count ${(ours.result as { count: number }).count} (scan ${n})`);
  }
}

// ---- live tail: ingest → client
{
  const log = store.listLogs()[0]!;
  const ac = new AbortController();
  const res = await fetch(`${server.url}/api/v1/tail?query=benchtail`, { signal: ac.signal });
  const items = readSse(res.body!);
  for (;;) {
    const { value } = await items.next();
    if (value?.kind === "comment" && value.text === "ready") break;
  }
  const tailRun = Date.now().toString(36);
  const lat: number[] = [];
  const ack: number[] = [];
  for (let i = 0; i < a.runs + 1; i++) {
    const t = performance.now();
    const post = fetch(`${server.url}/api/v1/ingest/journal`, {
      method: "POST",
      headers: { authorization: `Bearer ${log.token}`, "content-type": "application/vnd.fdo.journal" },
      // A new message each run: the same bytes again would be a duplicate (a kept data dir) and never reach the tail.
      body: `MESSAGE=benchtail ${i} ${tailRun}\n_HOSTNAME=bench\n__REALTIME_TIMESTAMP=${endUs - 1000 + i}\n\n`,
    }).then(async (r) => {
      await r.text();
      return performance.now() - t;
    });
    for (;;) {
      const { value } = await items.next();
      if (value?.kind === "message") break;
    }
    const got = performance.now() - t;
    const acked = await post;
    if (i > 0) {
      lat.push(got);
      ack.push(acked);
    }
  }
  ac.abort();
  rows.push(["q4 live tail ingest→client", pct(lat, 50).toFixed(1), pct(lat, 95).toFixed(1), pct(ack, 50).toFixed(1), (pct(ack, 50) / pct(lat, 50)).toFixed(1) + "x", "ref = ingest ack round trip"]);
}
await server.close();
ref.close();

const head = ["question", "p50 ms", "p95 ms", "full scan p50 ms", "scan/ours", "answer"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [head, ...rows]) say(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
if (!a.keep) rmSync(dir, { recursive: true, force: true });
