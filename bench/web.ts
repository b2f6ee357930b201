// The web UI benchmark (issue 6): on a store of N generated entries over 24 h, the time from pressing
// Enter in the search box to (a) the first result rows in the DOM and (b) the histogram drawn, in
// headless Chromium (/usr/bin/chromium, the same as the e2e tests), p50/p95 over R runs per query.
// Reference, measured in the same page and run: the two API requests the page makes (events page +
// histogram timeslice), fetched in parallel with no rendering; the ratio page/API is what the page
// adds on top of the server. "sent" is when the page had handed both requests to fetch after Enter
// (both go out at once; the histogram never waits for the results).
// Live tail under load (issue 6: the page never freezes under 5,000 entries/s): the page tails while
// journal batches are posted at 2,000/s, 5,000/s and as fast as the server stores them; measured in
// the page: frame intervals (requestAnimationFrame), long tasks (PerformanceObserver "longtask"),
// the lag of a 50 ms timer in the page (how late the page would handle input), what it rendered.
// References, same run: the same page tailing with no load (frames, lag); the load with the page
// not tailing (what the tail costs the server's ingest rate).
//   node dist/bench/web.js [--entries 1000000] [--runs 10] [--keep DIR] [--only search|tail] [--tail-seconds 10]
//   (needs the web UI built into dist/web; runs from sources too: node --import tsx bench/web.ts ...)
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "../src/server/logger.js";
import { startServer } from "../src/server/server.js";
import { defaultWebDir } from "../src/server/web-ui.js";
import { launchChromium } from "../test/harness/browser.js";
import { generatedStore } from "./lib/generated-store.js";
import { startIngestLoad } from "../test/harness/ingest-load.js";

interface Args { entries: number; runs: number; keep: string | undefined; only: "search" | "tail" | undefined; tailSeconds: number }

function usage(problem: string): never {
  process.stderr.write(`bench/web: ${problem}\nusage: node dist/bench/web.js [--entries N] [--runs N] [--keep DIR] [--only search|tail] [--tail-seconds N]\n`);
  process.exit(2);
}

function args(): Args {
  const a: Args = { entries: 1_000_000, runs: 10, keep: undefined, only: undefined, tailSeconds: 10 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[++i];
    if (v === undefined) usage(`${k} needs a value`);
    if (k === "--entries" || k === "--runs" || k === "--tail-seconds") {
      if (!/^\d+$/.test(v)) usage(`${k}: expected an integer, got "${v}"`);
      if (k === "--tail-seconds") a.tailSeconds = Number(v);
      else a[k.slice(2) as "entries" | "runs"] = Number(v);
    } else if (k === "--only") {
      if (v !== "search" && v !== "tail") usage(`--only: expected search or tail, got "${v}"`);
      a.only = v;
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
const dayUs = 24 * 3600 * 1e6;

// ---- load (skipped when --keep DIR already holds the data)
const data = await generatedStore(dir, a.entries, dayUs);
const endUs = data.endUs;
say(data.loaded ? `bench/web: loaded ${a.entries} entries over 24 h in ${data.seconds.toFixed(1)} s (${dir})` : `bench/web: reusing the store in ${dir}`);

// The server's errors (only) go to stderr: a failing request must not pass unseen.
const server = await startServer({ dataDir: dir, http: "127.0.0.1:0", logger: createLogger({ level: "error", destination: process.stderr }), ingest: {} });
const stored = server.store.count();
const c = await launchChromium({ width: 1400, height: 900 });
const fromMs = Math.floor((endUs - dayUs) / 1000);
const toMs = Math.ceil(endUs / 1000);

interface Measured { rows: number; histogram: number; total: number; sent: number }

/**
 * In the page: press Enter in the search box (a keydown event, as the keyboard sends), then check
 * at every animation frame for the first rows in the DOM and the histogram drawn. A string, since
 * it runs in the browser (this file is type-checked without the DOM library). `sent`: when both
 * query requests had been handed to fetch, after Enter (window.__logharbor.run.requested).
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
    if (rows && histogram) resolve({ rows: rows - t0, histogram: histogram - t0, total: Number(h.getAttribute("data-total")), sent: run.requested - t0 });
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
  // A string, like MEASURE_IN_PAGE (run from sources, tsx would add helpers the page does not have).
  const body = (extra: Record<string, unknown>) => JSON.stringify(JSON.stringify({ from: fromMs, to: toMs, ...extra }));
  return (await c.page.evaluate(`(async () => {
    const post = (body) => fetch("/api/v1/query", { method: "POST", headers: { "content-type": "application/json" }, body }).then((r) => r.json());
    const t0 = performance.now();
    await Promise.all([post(${body({ q, limit: 500 })}), post(${body({ q: `${q} timeslice(120)` })})]);
    return performance.now() - t0;
  })()`)) as number;
}

say(`bench/web: ${stored} entries stored; Chromium ${c.context.browser()?.version() ?? "(persistent context)"}; the machine may be shared: compare ratios, not absolute figures`);

if (a.only !== "tail") {
  await c.page.goto(`${server.url}/?from=${fromMs}&to=${toMs}`);
  await c.page.waitForSelector('.histogram[data-ready="true"]', { timeout: 120_000 });
  say(`search: ${a.runs} runs per query after 1 warm-up; range 24 h`);
  say("query                                   matches    rows p50/p95 ms   histogram p50/p95 ms   sent p95 ms   API-only p50 ms   page/API");
  for (const q of ["", "error", "host = node-1", "unit = nginx.service AND rt > 1"]) {
    await measure(q);
    await apiOnly(q);
    const rows: number[] = [];
    const hist: number[] = [];
    const sent: number[] = [];
    const api: number[] = [];
    let total = 0;
    for (let i = 0; i < a.runs; i++) {
      const m = await measure(q);
      rows.push(m.rows);
      hist.push(m.histogram);
      sent.push(m.sent);
      total = m.total;
      api.push(await apiOnly(q));
    }
    const both = rows.map((r, i) => Math.max(r, hist[i]!));
    say(`${JSON.stringify(q).padEnd(40)}${String(total).padStart(8)}    ${pct(rows, 50).toFixed(0).padStart(5)} / ${pct(rows, 95).toFixed(0).padEnd(5)}      ${pct(hist, 50).toFixed(0).padStart(5)} / ${pct(hist, 95).toFixed(0).padEnd(5)}         ${pct(sent, 95).toFixed(1).padStart(6)}       ${pct(api, 50).toFixed(0).padStart(6)}          ${(pct(both, 50) / pct(api, 50)).toFixed(2)}x`);
  }
}

// ---- live tail under load
interface TailWindow { frames: number[]; long: number[]; lag: number[]; rows: number; shown: number; rate: number; sampling: number }

const TAIL_START = `(() => {
  const m = window.__tailBench = { frames: [], long: [], lag: [], last: performance.now(), stop: false };
  const tick = (t) => { m.frames.push(t - m.last); m.last = t; if (!m.stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  let due = performance.now() + 50;
  m.timer = setInterval(() => { const now = performance.now(); m.lag.push(Math.max(0, now - due)); due = now + 50; }, 50);
  m.obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) m.long.push(e.duration); });
  m.obs.observe({ type: "longtask" });
})()`;
const TAIL_STOP = `(() => {
  const m = window.__tailBench; m.stop = true; m.obs.disconnect(); clearInterval(m.timer);
  const num = (s) => Number((s ?? "").replace(/[^0-9]/g, "") || "0");
  const shown = document.querySelector(".tail-bar .muted")?.textContent ?? "";
  return { frames: m.frames.slice(1), long: m.long, lag: m.lag, rows: document.querySelectorAll(".row").length,
    shown: num(/^[0-9,.\\s]+/.exec(shown)?.[0]), rate: num(document.querySelector(".tail-rate")?.textContent),
    sampling: num(/1 in ([0-9,]+)/.exec(document.querySelector(".tail-sampling")?.textContent ?? "")?.[1]) || 1 };
})()`;

async function tailWindow(label: string, load: { ratePerSec?: number } | undefined, token: string): Promise<{ label: string; w: TailWindow; ingest: number }> {
  const batch = 1000;
  const seconds = a.tailSeconds;
  // Enough prepared batches for the window at the target rate (as fast as possible: 40,000/s).
  const prebuilt = Math.ceil(((load?.ratePerSec ?? 40_000) * seconds * 1.2) / batch);
  const running = load ? startIngestLoad(server.url, token, { batch, inFlight: 2, prebuilt, ...(load.ratePerSec ? { ratePerSec: load.ratePerSec } : {}) }) : undefined;
  // Let the rate settle, then measure for the window.
  await sleep(1500);
  const sent0 = running?.sent() ?? 0;
  await c.page.evaluate(TAIL_START);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const w = (await c.page.evaluate(TAIL_STOP)) as TailWindow;
  const ingest = running ? ((running.sent() - sent0) * 1000) / (performance.now() - t0) : 0;
  await running?.stop();
  if (running?.error()) throw running.error();
  await sleep(1000);
  return { label, w, ingest };
}

if (a.only !== "search") {
  // The log the load goes to (made at the first run on a --keep store).
  const logs = (await (await fetch(`${server.url}/api/v1/logs`)).json()) as { logs: Array<{ name: string; token: string | null }> };
  const token = logs.logs.find((l) => l.name === "tail-load")?.token ?? server.store.createLog("tail-load").token;
  await c.page.goto(`${server.url}/?from=-15m`);
  await c.page.waitForSelector('.summary[data-loading="false"]');
  await c.page.fill(".query-input", "load");
  say(`live tail: ${a.tailSeconds} s windows; frame = interval between animation frames; lag = how late a 50 ms timer fired in the page`);
  say("load                         ingest/s  page rate/s  sampling  rows   kept   fps  frame p50/p95/max ms  long tasks n/total/max ms  lag p50/p95/max ms  frame p95 vs idle");
  let idleP95 = 0;
  let refIngest = 0;
  const windows: Array<[string, { ratePerSec?: number } | undefined, boolean]> = [
    ["as fast as stored, no tail", {}, false],
    ["idle tail (reference)", undefined, true],
    ["2,000/s", { ratePerSec: 2000 }, true],
    ["5,000/s", { ratePerSec: 5000 }, true],
    ["10,000/s", { ratePerSec: 10_000 }, true],
    ["as fast as stored", {}, true],
  ];
  for (const [label, load, tail] of windows) {
    if (tail && !(await c.page.$(".tail-bar"))) {
      await c.page.click('button:has-text("Live tail")');
      await c.page.waitForSelector('.tail-bar[data-connected="true"]');
    }
    const r = await tailWindow(label, load, token);
    const f = r.w.frames;
    const total = f.reduce((x, y) => x + y, 0);
    const p95 = pct(f, 95);
    if (tail && !load) idleP95 = p95;
    if (!tail) refIngest = r.ingest;
    const long = r.w.long;
    const lag = r.w.lag;
    const ingest = `${r.ingest.toFixed(0)}${tail && load && !load.ratePerSec && refIngest ? ` (${(r.ingest / refIngest).toFixed(2)}x)` : ""}`;
    say(
      `${label.padEnd(27)}${ingest.padStart(10)}  ${String(tail ? r.w.rate : "-").padStart(11)}  ${(tail ? "1 in " + r.w.sampling : "-").padStart(8)}  ${String(r.w.rows).padStart(4)}  ${String(r.w.shown).padStart(5)}` +
        `  ${((f.length * 1000) / total).toFixed(0).padStart(4)}  ${`${pct(f, 50).toFixed(1)} / ${p95.toFixed(1)} / ${Math.max(...f).toFixed(0)}`.padEnd(20)}` +
        `  ${`${long.length} / ${long.reduce((x, y) => x + y, 0).toFixed(0)} / ${long.length ? Math.max(...long).toFixed(0) : 0}`.padEnd(25)}` +
        `  ${`${pct(lag, 50).toFixed(1)} / ${pct(lag, 95).toFixed(1)} / ${Math.max(...lag).toFixed(0)}`.padEnd(18)}` +
        `  ${tail && idleP95 ? (p95 / idleP95).toFixed(2) + "x" : "-"}`,
    );
  }
  await c.page.click('button:has-text("Stop live")');
}
await c.close();
await server.close();
if (!a.keep) rmSync(dir, { recursive: true, force: true });
