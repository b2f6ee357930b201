// The web UI in real headless Chromium against a real `logharbor serve` process: create a log and
// get its token, ship entries to it (the acked batch API, journal export format), find them,
// expand one, zoom the histogram, watch a live-tailed entry arrive, save and reopen a query, see a
// syntax error marked, and be asked for an API key when the server listens beyond loopback.
// LOGHARBOR_SCREENSHOTS=docs also writes the screenshots of docs/web.md.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { encodeExportEntry, type ExportField } from "../../src/core/journal/export-encoder.js";
import { launchChromium, type Chromium } from "../harness/browser.js";
import { repoRoot, tempDir } from "../harness/paths.js";
import { startServe, waitFor, type Serve } from "../harness/processes.js";
import { ensureWebBuilt } from "../harness/web-build.js";

const SHOTS = process.env["LOGHARBOR_SCREENSHOTS"] ? join(repoRoot, process.env["LOGHARBOR_SCREENSHOTS"]) : undefined;
const UNITS = ["nginx.service", "api.service", "db.service"];
const BOOT = "0123456789abcdef0123456789abcdef";

function entry(i: number, tsUs: number, message: string): ExportField[] {
  return [
    ["__REALTIME_TIMESTAMP", String(tsUs)],
    ["__MONOTONIC_TIMESTAMP", String(1_000_000 + i)],
    ["_BOOT_ID", BOOT],
    ["_HOSTNAME", `web-${i % 4}`],
    ["PRIORITY", String(i % 8)],
    ["_SYSTEMD_UNIT", UNITS[i % 3]!],
    ["SEQ", String(i)],
    ["MESSAGE", message],
  ];
}

/** Posts entries to the acked batch API; the answer's status. */
async function post(s: Serve, token: string, entries: ExportField[][]): Promise<number> {
  const res = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body: Buffer.concat(entries.map((e) => encodeExportEntry(e))),
  });
  await res.text();
  return res.status;
}

async function ship(s: Serve, token: string, entries: ExportField[][]): Promise<void> {
  assert.equal(await post(s, token, entries), 200);
}

interface SavedJson { name: string; q: string; from: string; to: string; log: string }

async function savedOnServer(s: Serve): Promise<SavedJson[]> {
  return ((await (await fetch(`${s.url}/api/v1/saved-queries`)).json()) as { saved_queries: SavedJson[] }).saved_queries;
}

describe("web UI", { timeout: 120_000 }, () => {
  const dir = tempDir("lh-web-");
  let serve: Serve;
  let c: Chromium;
  let token = "";
  const N = 2400;
  const now = Date.now();

  before(async () => {
    ensureWebBuilt();
    serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off"]);
    // Smaller screenshots for the docs.
    c = await launchChromium(SHOTS ? { width: 1100, height: 640 } : {});
  });
  after(async () => {
    await c?.close();
    await serve?.stop();
    dir.dispose();
  });

  const page = () => c.page;
  const shot = async (name: string) => {
    if (SHOTS) await page().screenshot({ path: join(SHOTS, name) });
  };
  /** The page's last search (window.__logharbor.run, set by src/web/main.tsx). */
  // (Strings run in the page: this file is type-checked without the DOM library.)
  const runSeq = async () => Number(await page().evaluate("window.__logharbor?.run?.seq ?? 0"));
  // (A function, not a string: the page's Content-Security-Policy forbids eval.)
  const searched = async (before: number) => {
    await page().waitForFunction((b) => {
      const r = (globalThis as unknown as { __logharbor?: { run?: { seq: number; done?: boolean } } }).__logharbor?.run;
      return r !== undefined && r.seq > b && r.done === true;
    }, before);
  };
  const search = async (q: string) => {
    const before = await runSeq();
    await page().fill(".query-input", q);
    await page().press(".query-input", "Enter");
    await searched(before);
  };
  const rowTexts = async (cls: string) => page().$$eval(`.row ${cls}`, (els) => els.map((e) => e.textContent ?? ""));

  test("serves the page and its assets from the server only", async () => {
    const res = await fetch(`${serve.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.match(await res.text(), /<div id="app">/);
  });

  test("creates a log and shows its token with copy-ready commands", async () => {
    await page().goto(`${serve.url}/?view=logs`);
    await page().fill('input[name="log-name"]', "web");
    await page().click('button:has-text("Create log")');
    token = (await page().textContent(".token-panel .token"))!.trim();
    assert.match(token, /^[0-9a-f-]{36}$/);
    const commands = await page().$$eval(".command pre", (els) => els.map((e) => e.textContent ?? ""));
    assert.ok(commands.some((t) => t.startsWith(`logharbor ship --journal journalctl --to ${serve.url} --token ${token}`)), commands.join("\n"));
    assert.ok(commands.some((t) => t.includes(`systemd-journal-upload --save-state --url=${serve.url}/t/${token}`)));
    assert.ok(commands.some((t) => t.includes("docker run") && t.includes(token)));
    assert.ok(commands.some((t) => t.includes("[X-Fleet]") && t.includes(token)));
    // The token goes in a root-only env file, not in the world-readable unit (docs/deploy.md).
    const unit = commands.find((t) => t.includes("[X-Fleet]"))!;
    assert.match(unit, /EnvironmentFile=\/etc\/logharbor\/ship\.env/);
    assert.doesNotMatch(unit, /^Environment=LOGHARBOR_TOKEN/m);
    assert.ok(commands.some((t) => t.startsWith("logger ") && t.includes(token)));
    assert.ok(commands.some((t) => t.includes('require("le_node")') && t.includes(token)));
    assert.ok(commands.some((t) => t.includes("--log-driver=fluentd") && t.includes(`tag="${token}.`)), "the Docker fluentd driver snippet");
    assert.ok(commands.some((t) => t.includes("--log-driver=gelf") && t.includes(token)), "the Docker gelf driver snippet");
    assert.ok(commands.some((t) => /Shared_Key\s+/.test(t) && t.includes(token)), "the Fluent Bit snippet");
    await page().waitForSelector('.logs-table tr[data-log="web"]');
    await shot("web-logs.png");
  });

  test("rotates a log's token from the Logs page (the old one works until refused), then revokes it", async () => {
    await page().goto(`${serve.url}/?view=logs`);
    await page().fill('input[name="log-name"]', "rotating");
    await page().click('button:has-text("Create log")');
    const panel = '.token-panel[data-log="rotating"]';
    // Three days old: outside the ranges the other tests count.
    const OLD_US = (Date.now() - 3 * 86_400_000) * 1000;
    const t0 = (await page().textContent(`${panel} .token`))!.trim();
    await page().selectOption(`${panel} select[name="grace"]`, "3600");
    await page().click(`${panel} button:has-text("Rotate token")`);
    await page().waitForSelector(`${panel} .previous-token`);
    const t1 = (await page().textContent(`${panel} .token`))!.trim();
    assert.match(t1, /^[0-9a-f-]{36}$/);
    assert.notEqual(t1, t0);
    assert.ok((await page().$$eval(".command pre", (els) => els.map((e) => e.textContent ?? ""))).every((t) => !t.includes(t0)), "the commands show the new token");
    await page().waitForSelector('tr[data-log="rotating"] .token-state[data-state="rotated"]');
    assert.equal(await post(serve, t0, [entry(9001, OLD_US, "rotation: old token in its grace period")]), 200);
    assert.equal(await post(serve, t1, [entry(9002, OLD_US, "rotation: new token")]), 200);

    await page().click(`${panel} .previous-token button:has-text("Refuse it now")`);
    await page().waitForSelector(`${panel} .previous-token`, { state: "detached" });
    assert.equal(await post(serve, t0, [entry(9003, OLD_US, "rotation: old token after its grace")]), 403);
    assert.equal(await post(serve, t1, [entry(9004, OLD_US, "rotation: new token again")]), 200);

    await page().click(`${panel} button:has-text("Revoke token")`);
    await page().click(`${panel} .confirm button:has-text("Revoke now")`);
    await page().waitForSelector(`${panel}[data-state="revoked"]`);
    assert.equal(await page().locator(`${panel} .command`).count(), 0, "no commands for a revoked token");
    assert.equal(await page().locator(`${panel} select[name="grace"]`).count(), 0, "no old token to keep once revoked");
    await page().waitForSelector('tr[data-log="rotating"] .token-state[data-state="revoked"]');
    assert.equal(await post(serve, t1, [entry(9005, OLD_US, "rotation: revoked token")]), 403);

    await page().click(`${panel} button:has-text("Issue a new token")`);
    await page().waitForSelector(`${panel}[data-state="active"] .token`);
    const t2 = (await page().textContent(`${panel} .token`))!.trim();
    assert.ok(t2 !== t0 && t2 !== t1);
    assert.equal(await post(serve, t2, [entry(9006, OLD_US, "rotation: fresh token")]), 200);
    assert.equal(await post(serve, t1, [entry(9007, OLD_US, "rotation: revoked token again")]), 403);
  });

  test("finds shipped entries with a query", async () => {
    // Over the last 40 minutes, newest last; every third is api.service with status=503.
    const entries = Array.from({ length: N }, (_, i) =>
      entry(i, (now - 40 * 60_000 + i * 1000) * 1000, `GET /item/${i} status=${[200, 404, 503][i % 3]} ms=${i % 97} seq${i}`),
    );
    await ship(serve, token, entries);
    await page().goto(`${serve.url}/`);
    await page().waitForSelector(".row");
    await search("unit = db.service AND status = 503");
    const units = await rowTexts(".c-unit");
    assert.ok(units.length > 10);
    assert.ok(units.every((u) => u === "db.service"), units.join(","));
    await page().waitForSelector('.histogram[data-ready="true"]');
    assert.equal(await page().getAttribute(".histogram", "data-total"), String(N / 3));
    assert.match(page().url(), /q=unit\+%3D\+db\.service\+AND\+status\+%3D\+503/);
  });

  test("expands an entry to every field, adds a value to the query, and Esc closes it", async () => {
    await search("seq1202");
    await page().click(".row >> nth=0");
    await page().waitForSelector(".details");
    const detail = (await page().textContent(".details"))!;
    assert.match(detail, /GET \/item\/1202 status=503/);
    assert.match(detail, /SEQ\s*1202/);
    assert.match(detail, /_BOOT_ID/);
    await shot("web-details.png");
    const before = await runSeq();
    await page().click('.details button.value[data-field="_HOSTNAME"]');
    await searched(before);
    assert.equal(await page().inputValue(".query-input"), "seq1202 AND _HOSTNAME = web-2");
    assert.equal((await rowTexts(".c-msg")).length, 1);
    await page().click(".row >> nth=0");
    await page().waitForSelector(".details");
    await page().keyboard.press("Escape");
    await page().waitForSelector(".details", { state: "detached" });
  });

  test("zooms the histogram by dragging across it", async () => {
    await page().goto(`${serve.url}/?from=-1h`);
    await page().waitForSelector('.histogram[data-ready="true"]');
    assert.equal(await page().getAttribute(".histogram", "data-total"), String(N));
    await shot("web-search.png");
    const box = (await page().locator(".histogram-chart .u-over").boundingBox())!;
    // The entries fill the last 40 of the 60 minutes: drag over the right half.
    await page().mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page().mouse.down();
    await page().mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 });
    await page().mouse.up();
    await waitFor("the zoomed range in the URL", () => /from=\d{13}&to=\d{13}/.test(page().url()) || undefined);
    await page().waitForSelector('.histogram[data-ready="true"]');
    const total = Number(await page().getAttribute(".histogram", "data-total"));
    assert.ok(total > 0 && total < N, `zoomed total ${total}`);
    const u = new URL(page().url());
    const span = Number(u.searchParams.get("to")) - Number(u.searchParams.get("from"));
    assert.ok(span > 10 * 60_000 && span < 20 * 60_000, `span ${span}`);
  });

  test("draws statistics as a chart with a table", async () => {
    await page().goto(`${serve.url}/?from=-1h`);
    await search("groupby(unit) calculate(average:ms) timeslice(20)");
    await page().waitForSelector(".stats .u-over");
    const rows = await page().$$eval(".stats-table tbody tr", (els) => els.map((e) => e.textContent ?? ""));
    assert.equal(rows.length, 3);
    assert.ok(rows.some((r) => r.startsWith("api.service800")), rows.join("|"));
    await shot("web-statistics.png");
  });

  test("shows a live-tailed entry as it arrives, with its rate", async () => {
    await page().goto(`${serve.url}/?from=-1h`);
    await page().fill(".query-input", "livetail");
    await page().click('button:has-text("Live tail")');
    await page().waitForSelector('.tail-bar[data-connected="true"]');
    await ship(serve, token, [entry(N + 1, Date.now() * 1000, "livetail arrived seq-live-1")]);
    await page().waitForSelector('.row .c-msg:has-text("livetail arrived seq-live-1")', { timeout: 10_000 });
    assert.match((await page().textContent(".tail-rate"))!, /events\/s/);
    await page().click('.tail-bar button:has-text("Pause")');
    await ship(serve, token, [entry(N + 2, Date.now() * 1000, "livetail while paused")]);
    await page().waitForSelector('.tail-bar:has-text("1 new while paused")');
    assert.equal(await page().locator('.row .c-msg:has-text("livetail while paused")').count(), 0);
    await page().click('.tail-bar button:has-text("Resume")');
    await page().waitForSelector('.row .c-msg:has-text("livetail while paused")');
    await shot("web-live.png");
    await page().click('button:has-text("Stop live")');
  });

  test("saves a query and reopens it", async () => {
    await page().goto(`${serve.url}/?from=-24h`);
    await search("status = 404 AND host = web-2");
    await page().click('button:has-text("Saved")');
    await page().fill('input[name="saved-name"]', "not found on web-2");
    await page().click('.save-form button:has-text("Save")');
    await page().goto(`${serve.url}/`);
    await searched(0);
    assert.equal(await page().inputValue(".query-input"), "");
    await page().click('button:has-text("Saved")');
    const before = await runSeq();
    await page().click('.saved-item .menu-item:has-text("not found on web-2")');
    await searched(before);
    assert.equal(await page().inputValue(".query-input"), "status = 404 AND host = web-2");
    assert.match(page().url(), /from=-24h/);
    const hosts = await rowTexts(".c-host");
    assert.ok(hosts.length > 0 && hosts.every((h) => h === "web-2"));
    // Kept by the server: the API has it, and so does a browser that never saw this one.
    const kept = (await savedOnServer(serve)).find((x) => x.name === "not found on web-2")!;
    assert.deepEqual([kept.q, kept.from, kept.to, kept.log], ["status = 404 AND host = web-2", "-24h", "now", ""]);
    const other = await launchChromium();
    try {
      await other.page.goto(`${serve.url}/`);
      await other.page.click('button:has-text("Saved")');
      await other.page.waitForSelector('.saved-item[data-name="not found on web-2"]');
    } finally {
      await other.close();
    }
  });

  test("moves the queries an older page saved in this browser to the server, once", async () => {
    await page().goto(`${serve.url}/`);
    await searched(0);
    const local = [
      { name: "kept locally", q: "status = 503", from: "-7d", to: "now", log: "" },
      { name: "not found on web-2", q: "status = 404", from: "-1h", to: "now", log: "" },
    ];
    await page().evaluate(`localStorage.setItem("logharbor.savedQueries", ${JSON.stringify(JSON.stringify(local))})`);
    const before = (await savedOnServer(serve)).length;
    await page().reload();
    await waitFor("the local saved queries on the server", async () => ((await savedOnServer(serve)).length === before + 2 ? true : undefined));
    await waitFor("the local copy removed", async () => ((await page().evaluate('localStorage.getItem("logharbor.savedQueries")')) === null ? true : undefined));
    const saved = await savedOnServer(serve);
    const moved = saved.find((x) => x.name === "kept locally")!;
    assert.deepEqual([moved.q, moved.from, moved.to, moved.log], ["status = 503", "-7d", "now", ""]);
    // A different query under a name the server has: kept under a name of its own, the server's one untouched.
    assert.equal(saved.find((x) => x.name === "not found on web-2")!.q, "status = 404 AND host = web-2");
    assert.equal(saved.find((x) => x.name === "not found on web-2 (this browser)")!.q, "status = 404");
    await page().reload();
    await searched(0);
    await page().click('button:has-text("Saved")');
    await page().waitForSelector('.saved-item[data-name="kept locally"]');
    assert.equal((await savedOnServer(serve)).length, before + 2, "moved once");
    await page().keyboard.press("Escape");
  });

  test("marks a syntax error at its column", async () => {
    await page().keyboard.press("Escape");
    await page().click("body");
    await page().keyboard.press("/");
    assert.equal(await page().evaluate("document.activeElement?.className"), "query-input");
    await search("where(status = )");
    const mark = page().locator(".syntax-mark");
    await mark.waitFor();
    assert.equal(await mark.getAttribute("data-column"), "16");
    assert.equal(await mark.textContent(), ")");
    assert.match((await page().textContent(".query-error"))!, /column 16/);
    await shot("web-syntax-error.png");
  });

  test("suggests field names and values", async () => {
    await page().fill(".query-input", "");
    await page().type(".query-input", "_SYSTEMD_U");
    await page().waitForSelector('.completions li:has-text("_SYSTEMD_UNIT")');
    await page().keyboard.press("Tab");
    await page().type(".query-input", " = db");
    await page().waitForSelector('.completions li:has-text("db.service")');
    await page().keyboard.press("Tab");
    assert.equal(await page().inputValue(".query-input"), "_SYSTEMD_UNIT = db.service");
  });

  test("Enter searches what is typed, even while a completion is offered", async () => {
    await page().fill(".query-input", "");
    // "stat" starts the field name "status": the completion is offered, and Enter ignores it.
    await page().type(".query-input", "stat");
    await page().waitForSelector('.completions li:has-text("status")');
    const before = await runSeq();
    await page().keyboard.press("Enter");
    await searched(before);
    assert.equal(await page().inputValue(".query-input"), "stat");
    assert.match(page().url(), /q=stat(&|$)/);
    assert.equal(await page().locator(".completions").count(), 0);
  });

  test("is readable in the dark theme", async () => {
    await page().goto(`${serve.url}/?from=-1h`);
    await page().click('button[aria-label="theme"]');
    await page().waitForSelector('html[data-theme="dark"]', { state: "attached" });
    const bg = await page().evaluate("getComputedStyle(document.body).backgroundColor");
    assert.equal(bg, "rgb(18, 22, 28)");
    await page().waitForSelector('.histogram[data-ready="true"]');
    await shot("web-dark.png");
    await page().click('button[aria-label="theme"]');
    await page().click('button[aria-label="theme"]');
  });

  test("never reaches another origin and logs no errors", () => {
    assert.deepEqual(c.problems, []);
  });
});

describe("web UI on a server reachable from other machines", { timeout: 60_000 }, () => {
  test("asks for an API key and then searches with it", async () => {
    const dir = tempDir("lh-web-key-");
    const serve = await startServe(dir.path, ["--http", "0.0.0.0:0", "--tcp", "off", "--tls", "off"]);
    const c = await launchChromium();
    try {
      const key = readFileSync(join(dir.path, "admin-api-key"), "utf8").trim();
      await c.page.goto(`${serve.url}/`);
      await c.page.waitForSelector('[role="dialog"][aria-label="API key"]');
      await c.page.fill('input[name="api-key"]', key);
      await c.page.click('button:has-text("Use this key")');
      await c.page.waitForSelector('.summary[data-loading="false"]');
      assert.equal(await c.page.locator('[role="dialog"]').count(), 0);
      assert.equal(await c.page.locator(".query-error").count(), 0);
    } finally {
      await c.close();
      await serve.stop();
      dir.dispose();
    }
  });
});
