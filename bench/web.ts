// The web UI benchmark (issue 6): on a store of N generated entries over 24 h, the time from pressing
// Enter in the search box to (a) the first result rows in the DOM and (b) the histogram drawn, in
// headless Chromium (/usr/bin/chromium, the same as the e2e tests), p50/p95 over R runs per query.
// Reference, measured in the same page and run: the two API requests the page makes (events page +
// histogram timeslice), fetched in parallel with no rendering; the ratio page/API is what the page
// adds on top of the server.
//   node dist/bench/web.js [--entries 1000000] [--runs 10] [--keep DIR]     (needs `npm run build`)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { encodeExportEntry } from "../src/core/journal/export-encoder.js";
import { ExportParser } from "../src/core/journal/export-parser.js";
import { generateEntries } from "../src/demo/generator.js";
import { journalEntryToEvent } from "../src/server/ingest/journal/to-event.js";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/server.js";
import { SqliteStore } from "../src/server/storage/sqlite/sqlite-store.js";
import type { NewEvent } from "../src/server/storage/store.js";
import { defaultWebDir } from "../src/server/web-ui.js";
import { launchChromium } from "../test/harness/browser.js";

interface Args { entries: number; runs: number; keep: string | undefined }

function usage(problem: string): never {
  process.stderr.write(`bench/web: ${problem}\nusage: node dist/bench/web.js [--entries N] [--runs N] [--keep DIR]\n`);
  process.exit(2);
}

function args(): Args {
  const a: Args = { entries: 1_000_000, runs: 10, keep: undefined };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[++i];
    if (v === undefined) usage(`${k} needs a value`);
    if (k === "--entries" || k === "--runs") {
      if (!/^\d+$/.test(v)) usage(`${k}: expected an integer, got "${v}"`);
      a[k.slice(2) as "entries" | "runs"] = Number(v);
    } else if (k === "--keep") a.keep = v;
    else usage(`unknown option ${k}`);
  }
  return a;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const a = args();
const say = (s: string) => process.stdout.write(`${s}\n`);
if (!existsSync(join(defaultWebDir(), "index.html"))) usage(`no web UI build in ${defaultWebDir()}: run \`npm run build\` first`);
const dir = a.keep ?? mkdtempSync(join(tmpdir(), "lh-bench-web-"));
const meta = join(dir, "bench-web.json");
const dayUs = 24 * 3600 * 1e6;

// ---- load (skipped when --keep DIR already holds the data)
let endUs: number;
if (existsSync(meta)) {
  endUs = (JSON.parse(readFileSync(meta, "utf8")) as { endUs: number }).endUs;
  say(`bench/web: reusing the store in ${dir}`);
} else {
  endUs = Date.now() * 1000;
  const store = SqliteStore.open(dir);
  const log = store.createLog("bench");
  const parser = new ExportParser();
  let batch: NewEvent[] = [];
  const t0 = performance.now();
  for (const fields of generateEntries({ count: a.entries, endUs, spanUs: dayUs })) {
    for (const entry of parser.push(encodeExportEntry(fields))) batch.push(journalEntryToEvent(entry));
    if (batch.length >= 5000) {
      store.insert(log.id, batch);
      batch = [];
    }
  }
  for (const entry of parser.end()) batch.push(journalEntryToEvent(entry));
  if (batch.length > 0) store.insert(log.id, batch);
  store.close();
  writeFileSync(meta, JSON.stringify({ endUs, entries: a.entries }));
  say(`bench/web: loaded ${a.entries} entries over 24 h in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
}

const sink = new Writable({ write: (_c, _e, done) => done() });
const server = await startServer({ dataDir: dir, http: "127.0.0.1:0", logger: createLogger({ level: "warn", destination: sink }), ingest: {} });
const stored = server.store.count();
const c = await launchChromium({ width: 1400, height: 900 });
const fromMs = Math.floor((endUs - dayUs) / 1000);
const toMs = Math.ceil(endUs / 1000);

interface Measured { rows: number; histogram: number; total: number }

/**
 * In the page: press Enter in the search box (a keydown event, as the keyboard sends), then check
 * at every animation frame for the first rows in the DOM and the histogram drawn. A string, since
 * it runs in the browser (this file is type-checked without the DOM library).
 */
const MEASURE_IN_PAGE = `new Promise((resolve, reject) => {
  const input = document.querySelector(".query-input");
  const t0 = performance.now();
  input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  const started = window.__logharbor.run.seq;
  let rows = 0, histogram = 0;
  const check = () => {
    const now = performance.now();
    if (now - t0 > 60000) return reject(new Error("no answer within 60 s: " + JSON.stringify(window.__logharbor.run)));
    const run = window.__logharbor.run;
    const current = run.seq === started && run.done === true;
    const h = document.querySelector(".histogram");
    // The first rows, or the empty list drawn when nothing matches.
    if (current && !rows && (document.querySelector(".row") || document.querySelector('.summary[data-loading="false"]'))) rows = now;
    if (current && !histogram && h && h.getAttribute("data-ready") === "true") histogram = now;
    if (rows && histogram) resolve({ rows: rows - t0, histogram: histogram - t0, total: Number(h.getAttribute("data-total")) });
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

async function measure(q: string): Promise<Measured> {
  await c.page.fill(".query-input", q);
  return (await c.page.evaluate(MEASURE_IN_PAGE)) as Measured;
}

/** The same two requests, straight from the page with fetch: the server's share. */
async function apiOnly(q: string): Promise<number> {
  return c.page.evaluate(async ({ q, from, to }) => {
    const post = (body: unknown) => fetch("/api/v1/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
    const t0 = performance.now();
    await Promise.all([post({ q, from, to, limit: 500 }), post({ q: `${q} timeslice(120)`, from, to })]);
    return performance.now() - t0;
  }, { q, from: fromMs, to: toMs });
}

await c.page.goto(`${server.url}/?from=${fromMs}&to=${toMs}`);
await c.page.waitForSelector('.histogram[data-ready="true"]', { timeout: 120_000 });
say(`bench/web: ${stored} entries stored; Chromium ${c.context.browser()?.version() ?? "(persistent context)"}; ${a.runs} runs per query after 1 warm-up; range 24 h`);
say("query                                   matches    rows p50/p95 ms   histogram p50/p95 ms   API-only p50 ms   page/API");
for (const q of ["", "error", "host = node-1", "unit = nginx.service AND rt > 1"]) {
  await measure(q);
  await apiOnly(q);
  const rows: number[] = [];
  const hist: number[] = [];
  const api: number[] = [];
  let total = 0;
  for (let i = 0; i < a.runs; i++) {
    const m = await measure(q);
    rows.push(m.rows);
    hist.push(m.histogram);
    total = m.total;
    api.push(await apiOnly(q));
  }
  const both = rows.map((r, i) => Math.max(r, hist[i]!));
  say(`${JSON.stringify(q).padEnd(40)}${String(total).padStart(8)}    ${pct(rows, 50).toFixed(0).padStart(5)} / ${pct(rows, 95).toFixed(0).padEnd(5)}      ${pct(hist, 50).toFixed(0).padStart(5)} / ${pct(hist, 95).toFixed(0).padEnd(5)}         ${pct(api, 50).toFixed(0).padStart(6)}          ${(pct(both, 50) / pct(api, 50)).toFixed(2)}x`);
}
await c.close();
await server.close();
if (!a.keep) rmSync(dir, { recursive: true, force: true });
