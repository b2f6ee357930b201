// The web page as an on-call operator uses it, in real Chromium against a real `logharbor serve`, at
// 1440×900 and on a phone (390×844): layout facts (the message column's width, nothing wider than the
// screen, details as a full-screen sheet), the log picker and `log` as a field, context around an
// entry, highlighted terms, export, and a live tail that reconnects after a server restart and shows
// what was stored meanwhile; a tail the server refuses ends.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { encodeExportEntry, type ExportField } from "../../src/core/journal/export-encoder.js";
import { launchChromium, type Chromium } from "../harness/browser.js";
import { repoRoot, tempDir } from "../harness/paths.js";
import { runCli, startServe, waitFor, type Serve } from "../harness/processes.js";
import { ensureWebBuilt } from "../harness/web-build.js";

const SHOTS = process.env["LOGHARBOR_SCREENSHOTS"] ? join(repoRoot, process.env["LOGHARBOR_SCREENSHOTS"]) : undefined;
const BOOT = "00112233445566778899aabbccddeeff";
let mono = 1_000_000;

function entry(i: number, tsUs: number, message: string, extra: ExportField[] = []): ExportField[] {
  return [
    ["__REALTIME_TIMESTAMP", String(tsUs)],
    ["__MONOTONIC_TIMESTAMP", String(mono++)],
    ["_BOOT_ID", BOOT],
    ["_HOSTNAME", `node-${i % 3}`],
    ["PRIORITY", String(i % 7 === 0 ? 3 : 6)],
    ["_SYSTEMD_UNIT", extra.length > 0 ? "docker.service" : i % 2 === 0 ? "nginx.service" : "kubelet.service"],
    ["MESSAGE", message],
    ...extra,
  ];
}

async function post(s: Serve, token: string, entries: ExportField[][]): Promise<void> {
  const res = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body: Buffer.concat(entries.map((e) => encodeExportEntry(e))),
  });
  assert.equal(res.status, 200, await res.text());
}

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

describe("the web page for operators", { timeout: 240_000 }, () => {
  const dir = tempDir("lh-web-operator-");
  let serve: Serve;
  const tokens: Record<string, string> = {};
  const now = Date.now();

  before(async () => {
    ensureWebBuilt();
    serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off"]);
    for (const name of ["web", "api"]) tokens[name] = (await runCli(["logs", "create", name, "--quiet", "--server", serve.url])).stdout.trim();
    const web = Array.from({ length: 600 }, (_, i) =>
      entry(i, (now - 30 * 60_000 + i * 2000) * 1000, i % 5 === 0 ? `upstream timed out while reading response header, request ${i}` : `GET /orders/${i} took ${i % 50} ms with a rather long message so that the column matters`),
    );
    const api = Array.from({ length: 200 }, (_, i) =>
      entry(i, (now - 20 * 60_000 + i * 3000) * 1000, i % 4 === 0 ? `{"level":"error","msg":"payment declined","order":${i}}` : `order ${i} accepted`, [
        ["CONTAINER_NAME", i % 2 === 0 ? "orders-api" : "billing-worker"],
        ["IMAGE_NAME", "registry.example.com/shop/orders-api:1.14.2"],
      ]),
    );
    await post(serve, tokens["web"]!, web);
    await post(serve, tokens["api"]!, api);
  });
  after(async () => {
    await serve?.stop();
    dir.dispose();
  });

  for (const vp of VIEWPORTS) {
    test(`at ${vp.width}×${vp.height} (${vp.name}): the message column is usable, nothing is wider than the screen, details fit`, async () => {
      const c = await launchChromium({ width: vp.width, height: vp.height });
      try {
        const page = c.page;
        await page.goto(`${serve.url}/?from=-1h`);
        await page.waitForSelector(".row");
        const width = (sel: string) => page.locator(sel).first().evaluate((el) => (el as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);
        const pageWidth = async () => Number(await page.evaluate("document.documentElement.scrollWidth"));
        assert.ok((await pageWidth()) <= vp.width, `the page is ${await pageWidth()} px wide`);
        const msg = await width(".row .c-msg");
        assert.ok(msg >= vp.width * 0.4, `message column ${msg} px of ${vp.width}`);
        // Every button of the top bar is on the screen.
        const right = await page.$$eval(".topbar > *", (els) => Math.max(...els.map((e) => (e as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right)));
        assert.ok(right <= vp.width, `top bar reaches ${right} px`);
        if (SHOTS && vp.name === "phone") await page.screenshot({ path: join(SHOTS, `web-${vp.name}-search.png`) });
        await page.click(".row >> nth=0");
        await page.waitForSelector(".details");
        const details = await width(".details");
        if (vp.name === "phone") assert.ok(details >= vp.width - 2, `details sheet ${details} px`);
        else assert.ok(details >= 400 && details <= vp.width * 0.5, `details panel ${details} px`);
        const close = await page.locator(".details header .btn.icon").boundingBox();
        assert.ok(close && close.x >= 0 && close.x + close.width <= vp.width && close.y >= 0, `close button at ${JSON.stringify(close)}`);
        assert.ok((await pageWidth()) <= vp.width);
        if (SHOTS && vp.name === "phone") await page.screenshot({ path: join(SHOTS, `web-${vp.name}-details.png`) });
        await page.click(".details header .btn.icon");
        await page.waitForSelector(".details", { state: "detached" });
        await page.goto(`${serve.url}/?view=logs`);
        await page.waitForSelector('.logs-table tr[data-log="web"]');
        assert.ok((await pageWidth()) <= vp.width, `the Logs page is ${await pageWidth()} px wide`);
        assert.deepEqual(c.problems, []);
      } finally {
        await c.close();
      }
    });
  }

  test("the log picker and `log = NAME` from the details choose the log; context shows the entries around one", async () => {
    const c = await launchChromium({ width: 1440, height: 900 });
    try {
      const page = c.page;
      await page.goto(`${serve.url}/?from=-1h`);
      await page.waitForSelector('.histogram[data-ready="true"]');
      assert.equal(await page.getAttribute(".histogram", "data-total"), "800");
      // One time format, in UTC by default as the CLI prints, with a toggle saying which zone.
      const first = page.locator(".row .c-ts").first();
      const iso = (await first.getAttribute("title"))!;
      assert.equal(await first.textContent(), iso.slice(0, 23).replace("T", " "));
      assert.equal(await page.textContent('button[aria-label="time zone"]'), "UTC");
      await page.click('button[aria-label="time zone"]');
      await page.waitForSelector('button[aria-label="time zone"][data-zone="local"]');
      assert.equal(await page.textContent('button[aria-label="time zone"]'), "Local time");
      await page.click('button[aria-label="time zone"]');
      await page.waitForSelector('button[aria-label="time zone"][data-zone="utc"]');
      await page.selectOption("select.log-picker", "api");
      await waitFor("log=api in the URL", () => /log=api/.test(page.url()) || undefined);
      await page.waitForSelector('.histogram[data-ready="true"]');
      assert.equal(await page.getAttribute(".histogram", "data-total"), "200");
      // Container entries show their container, not docker.service.
      const units = await page.$$eval(".row .c-unit", (els) => els.map((e) => e.textContent ?? ""));
      assert.ok(units.length > 0 && units.every((u) => /orders-api|billing-worker/.test(u)), units.join(","));
      await page.selectOption("select.log-picker", "");
      await waitFor("no log in the URL", () => !/log=/.test(page.url()) || undefined);
      await page.waitForSelector('.histogram[data-ready="true"][data-total="800"]');

      await page.fill(".query-input", "timed out");
      await page.press(".query-input", "Enter");
      await page.waitForSelector('.histogram[data-ready="true"][data-total="120"]');
      assert.ok((await page.locator(".row .c-msg mark.hl").count()) > 0, "the search terms are highlighted");
      await page.click(".row >> nth=0");
      await page.click('.details button.value[data-field="log"]');
      await waitFor("the log condition in the query", async () => ((await page.inputValue(".query-input")) === "timed out AND log = web" ? true : undefined));
      await page.waitForSelector('.histogram[data-ready="true"][data-total="120"]');

      await page.click(".row >> nth=3");
      await page.click('.context button:has-text("same host")');
      await page.waitForSelector(".ctx-list .ctx-line.self");
      const lines = await page.locator(".ctx-list .ctx-line").count();
      assert.ok(lines >= 11 && lines <= 21, `${lines} context lines`);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, "web-context.png") });

      // Pretty JSON in the details, and export of what is listed.
      await page.fill(".query-input", "payment declined");
      await page.press(".query-input", "Enter");
      await page.waitForSelector('.histogram[data-ready="true"][data-total="50"]');
      await page.click(".row >> nth=0");
      assert.match((await page.textContent(".d-message"))!, /\{\n {2}"level": "error",\n {2}"msg": "payment declined"/);
      await page.keyboard.press("Escape");
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click('.export button:has-text("NDJSON")')]);
      const text = readFileSync((await dl.path())!, "utf8");
      const rows = text.trim().split("\n").map((l) => JSON.parse(l) as { log: string; message: string });
      assert.equal(rows.length, 50);
      assert.ok(rows.every((r) => r.log === "api" && r.message.includes("payment declined")));

      // Query history: ArrowDown in the box lists the queries searched before; Tab takes one.
      await page.fill(".query-input", "");
      await page.press(".query-input", "ArrowDown");
      await page.waitForSelector('.completions li:has-text("payment declined")');
      const past = await page.$$eval(".completions li .c-label", (els) => els.map((e) => e.textContent ?? ""));
      assert.deepEqual(past.slice(0, 2), ["payment declined", "timed out AND log = web"]);
      await page.keyboard.press("Tab");
      assert.equal(await page.inputValue(".query-input"), "payment declined");

      // The field sidebar: top values of the listed entries, click to keep one, − to leave one out.
      await page.fill(".query-input", "timed out");
      await page.press(".query-input", "Enter");
      await page.waitForSelector('.histogram[data-ready="true"][data-total="120"]');
      await page.click('.fs-field[data-field="unit"] .fs-in[data-value="nginx.service"]');
      await page.waitForSelector('.histogram[data-ready="true"][data-total="60"]');
      assert.equal(await page.inputValue(".query-input"), "timed out AND unit = nginx.service");
      await page.click('.fs-field[data-field="host"] .fs-value:has(.fs-in[data-value="node-0"]) .fs-out');
      await page.waitForSelector('.histogram[data-ready="true"][data-total="40"]');
      assert.equal(await page.inputValue(".query-input"), "timed out AND unit = nginx.service AND host != node-0");
      assert.deepEqual(c.problems, []);
    } finally {
      await c.close();
    }
  });

  test("live tail reconnects after a server restart and shows what was stored meanwhile; a refused tail ends", async () => {
    const c = await launchChromium({ width: 1440, height: 900 });
    try {
      const page = c.page;
      await page.goto(`${serve.url}/?from=-1h`);
      await page.fill(".query-input", "groupby(host)");
      await page.click('button:has-text("Live tail")');
      await page.waitForSelector('.tail-bar[data-state="stopped"]');
      assert.match((await page.textContent(".tail-bar"))!, /live tail takes a where\(\) query only/);
      assert.equal(await page.locator('.tail-bar button:has-text("Pause")').count(), 0);
      await page.click('button:has-text("Stop live")');

      await page.fill(".query-input", "restarted");
      await page.click('button:has-text("Live tail")');
      await page.waitForSelector('.tail-bar[data-state="live"]');
      await post(serve, tokens["web"]!, [entry(1, Date.now() * 1000, "restarted: before")]);
      await page.waitForSelector('.row .c-msg:has-text("restarted: before")');
      const port = new URL(serve.url).port;
      await serve.stop();
      await page.waitForSelector('.tail-bar[data-state="reconnecting"]');
      assert.match((await page.textContent(".tail-bar"))!, /reconnecting in/);
      serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off", "--http", `127.0.0.1:${port}`]);
      await post(serve, tokens["web"]!, [entry(2, Date.now() * 1000, "restarted: after")]);
      await page.waitForSelector('.row .c-msg:has-text("restarted: after")', { timeout: 30_000 });
      await page.waitForSelector('.tail-bar[data-state="live"]');
      assert.equal(await page.locator('.row .c-msg:has-text("restarted: before")').count(), 1, "nothing shown twice");
      await page.click('button:has-text("Stop live")');
      assert.deepEqual(c.problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource|net::/.test(p)), []);
    } finally {
      await c.close();
    }
  });
});
