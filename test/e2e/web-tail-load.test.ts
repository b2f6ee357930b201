// The web page's live tail under a load above 5,000 entries/s, in real headless Chromium against a
// real `logharbor serve` process: the page samples and says so, keeps what it renders bounded,
// keeps drawing frames, and answers input (pause, resume) while the load runs. Nothing here is
// timed: every check is on what the page shows or counts (frame-time figures are in bench/web.ts).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchChromium, type Chromium } from "../harness/browser.js";
import { startIngestLoad, type IngestLoad } from "../harness/ingest-load.js";
import { tempDir } from "../harness/paths.js";
import { startServe, waitFor, type Serve } from "../harness/processes.js";
import { ensureWebBuilt } from "../harness/web-build.js";

/** What the page shows, read in the page (a string: this file is type-checked without the DOM library). */
const READ_PAGE = `(() => {
  const num = (s) => Number((s ?? "").replace(/[^0-9]/g, "") || "0");
  const shown = document.querySelector(".tail-bar .muted")?.textContent ?? "";
  return {
    rows: document.querySelectorAll(".row").length,
    shown: num(/^[0-9,.\\s]+/.exec(shown)?.[0]),
    rate: num(document.querySelector(".tail-rate")?.textContent),
    sampling: document.querySelector(".tail-sampling")?.textContent ?? "",
    first: document.querySelector(".row .c-msg")?.textContent ?? "",
    held: num(/([0-9,.]+) new while paused/.exec(document.querySelector(".tail-bar")?.textContent ?? "")?.[1]),
    frames: window.__frames ?? 0,
  };
})()`;

interface PageView { rows: number; shown: number; rate: number; sampling: string; first: string; held: number; frames: number }

describe("web UI live tail under load", { timeout: 240_000 }, () => {
  const dir = tempDir("lh-web-load-");
  let serve: Serve;
  let c: Chromium;
  let load: IngestLoad | undefined;

  before(async () => {
    ensureWebBuilt();
    serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off"]);
    c = await launchChromium();
  });
  after(async () => {
    await load?.stop();
    await c?.close();
    await serve?.stop();
    dir.dispose();
  });

  const view = async (): Promise<PageView> => (await c.page.evaluate(READ_PAGE)) as PageView;
  /** Waits until the load has stored `n` more entries: a span measured in work done, not in time. */
  const whileLoading = async (n: number) => {
    const target = load!.sent() + n;
    await waitFor(`${n} more entries stored`, () => {
      if (load!.error()) throw load!.error();
      return load!.sent() >= target || undefined;
    }, 120_000);
  };

  test("stays responsive while more than 5,000 entries/s are tailed: samples and says so, keeps the list bounded, and answers input", async () => {
    const res = await fetch(`${serve.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "load" }) });
    const token = ((await res.json()) as { log: { token: string } }).log.token;
    const page = c.page;
    await page.goto(`${serve.url}/?from=-15m`);
    await page.waitForSelector('.summary[data-loading="false"]');
    // Count the frames the page draws from now on.
    await page.evaluate("(() => { window.__frames = 0; const tick = () => { window.__frames++; requestAnimationFrame(tick); }; requestAnimationFrame(tick); })()");
    await page.fill(".query-input", "load");
    await page.click('button:has-text("Live tail")');
    await page.waitForSelector('.tail-bar[data-connected="true"]');

    load = startIngestLoad(serve.url, token, { batch: 2000, inFlight: 3 });
    // Above 5,000 entries/s the page keeps one in N and says so.
    await page.waitForSelector(".tail-sampling", { timeout: 120_000 });
    const sampled = await view();
    assert.match(sampled.sampling, /^sampling: showing 1 in \d+ \(over 5,000\/s\)$/);
    assert.ok(sampled.rate > 5000, `the page measured ${sampled.rate} events/s`);

    // While the load goes on, the page answers every call, draws frames, and renders a bounded list.
    for (let i = 0; i < 5; i++) {
      const before = await view();
      await whileLoading(20_000);
      const now = await view();
      assert.ok(now.frames - before.frames >= 10, `only ${now.frames - before.frames} frames drawn while 20,000 entries arrived`);
      assert.ok(now.rows > 0 && now.rows <= 120, `${now.rows} rows in the DOM (virtualised: only those in view)`);
      assert.ok(now.shown > 0 && now.shown <= 10_000, `${now.shown} entries kept (at most 10,000)`);
      assert.ok(now.sampling !== "", "the sampling notice stays while the rate is above 5,000/s");
    }

    // Input is handled under load: pause holds the list still and counts what arrives; resume adds it.
    await page.click('.tail-bar button:has-text("Pause")');
    await page.waitForSelector('.tail-bar:has-text("new while paused")');
    const paused = await view();
    await whileLoading(20_000);
    await waitFor("entries held while paused", async () => ((await view()).held > paused.held ? true : undefined), 60_000);
    const still = await view();
    assert.equal(still.first, paused.first, "the list does not move while paused");
    await page.click('.tail-bar button:has-text("Resume")');
    await waitFor("the held entries shown after resume", async () => ((await view()).first !== paused.first ? true : undefined), 60_000);
    await page.click('button:has-text("Stop live")');
    await page.waitForSelector(".tail-bar", { state: "detached" });

    const done = await load.stop();
    assert.equal(load.error(), undefined);
    assert.ok(done.entries >= 140_000, `${done.entries} entries stored under the tail`);
    assert.deepEqual(c.problems, []);
  });
});
