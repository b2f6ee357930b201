// The Alerts and Hosts tabs in real Chromium against a real `logharbor serve`: create an alert from
// a search ("Alert on this query"), see it fire when a matching entry arrives, read its history;
// see the silent host first on the Hosts tab and open its latest entries with one click.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { encodeExportEntry, type ExportField } from "../../src/core/journal/export-encoder.js";
import { launchChromium, type Chromium } from "../harness/browser.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startServe, type Serve } from "../harness/processes.js";
import { ensureWebBuilt } from "../harness/web-build.js";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook-receiver.js";

let seq = 0;
function entry(host: string, tsUs: number, message: string): ExportField[] {
  seq++;
  return [
    ["__REALTIME_TIMESTAMP", String(tsUs)], ["__MONOTONIC_TIMESTAMP", String(1_000_000 + seq)],
    ["_BOOT_ID", "0123456789abcdef0123456789abcdef"], ["_HOSTNAME", host], ["PRIORITY", "3"],
    ["_SYSTEMD_UNIT", "api.service"], ["SEQ", String(seq)], ["MESSAGE", message],
  ];
}

async function ship(s: Serve, token: string, entries: ExportField[][]): Promise<void> {
  const res = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body: Buffer.concat(entries.map((e) => encodeExportEntry(e))),
  });
  assert.equal(res.status, 200, await res.text());
}

describe("web UI: alerts and hosts", { timeout: 120_000 }, () => {
  const dir = tempDir("lh-web-alerts-");
  let serve: Serve;
  let c: Chromium;
  let rx: WebhookReceiver;
  let token = "";

  before(async () => {
    ensureWebBuilt();
    rx = await startWebhookReceiver();
    serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off"]);
    c = await launchChromium({});
    token = (await runCli(["logs", "create", "web", "--quiet", "--server", serve.url])).stdout.trim();
    const nowUs = Date.now() * 1000;
    await ship(serve, token, [
      entry("web-1", nowUs - 5_000_000, "GET / took 12 ms"),
      entry("web-2", nowUs - 4_000_000, "GET /api took 30 ms"),
      // Silent for an hour: the Hosts tab lists it first.
      entry("old-db", nowUs - 3600_000_000, "db checkpoint done"),
    ]);
  });
  after(async () => {
    await c?.close();
    await serve?.stop();
    await rx?.close();
    dir.dispose();
  });
  const page = () => c.page;

  test("creates an alert from the current search and shows it firing, with its history", async () => {
    await page().goto(`${serve.url}/?q=${encodeURIComponent("where(timeout)")}&from=-1h`);
    await page().waitForSelector(".query-input");
    await page().click("button.alert-on-query");
    await page().waitForSelector("form.create-alert");
    assert.equal(await page().inputValue('form.create-alert input[name="query"]'), "where(timeout)");
    await page().fill('form.create-alert input[name="name"]', "timeouts");
    await page().fill('form.create-alert input[name="webhook"]', rx.url);
    await page().click('form.create-alert button[type="submit"]');
    await page().waitForSelector('tr.alert-row[data-name="timeouts"][data-status="ok"]');
    await ship(serve, token, [entry("web-1", Date.now() * 1000, "upstream timeout after 30 s")]);
    await page().waitForSelector('tr.alert-row[data-name="timeouts"][data-status="firing"]', { timeout: 20_000 });
    assert.ok(rx.received.some((r) => (r.doc["alert"] as { name?: string } | undefined)?.name === "timeouts"));
    const lastFired = await page().textContent('tr.alert-row[data-name="timeouts"] td:nth-child(4)');
    assert.match(lastFired ?? "", /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await page().click('tr.alert-row[data-name="timeouts"] a');
    await page().waitForSelector('.alert-history tr[data-kind="delivered"]', { timeout: 20_000 });
    assert.ok(await page().$('.alert-history tr[data-kind="firing"]'));
  });

  test("lists the silent host first and opens its latest entries with one click", async () => {
    await page().goto(`${serve.url}/?view=hosts`);
    await page().waitForSelector("tr.host-row");
    const hosts = await page().$$eval("tr.host-row", (els) => els.map((e) => [e.getAttribute("data-host"), e.getAttribute("data-silent")]));
    assert.deepEqual(hosts[0], ["old-db", "true"]);
    assert.ok(hosts.slice(1).every(([, silent]) => silent === "false"), JSON.stringify(hosts));
    await page().click('tr.host-row[data-host="old-db"] a');
    await page().waitForSelector(".row");
    assert.match(await page().inputValue(".query-input"), /host\s*=\s*"?old-db"?/);
    const messages = await page().$$eval(".row", (els) => els.map((e) => e.textContent ?? ""));
    assert.ok(messages.length === 1 && messages[0]!.includes("db checkpoint done"), messages.join("|"));
  });
});
