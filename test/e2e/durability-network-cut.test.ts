// Fault test 3: the network between agent and server is cut (a TCP proxy resets every connection
// and refuses new ones) while the agent follows the journal; the agent keeps reading into its disk
// buffer and retrying, and once the network is back delivers everything. The cut lasts until the
// agent has read the whole journal into its buffer (a condition, not a clock).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { startCli, startServe, waitFor } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows } from "../harness/store-compare.js";
import { startTcpProxy } from "../harness/tcp-proxy.js";
import { createLog, logCount, metricsUrl, readMetric } from "../harness/fault.js";

const TOTAL = 20_000;

test("buffers on disk while the network is cut, then delivers everything exactly once", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const data = join(t.path, "data");
  writeJournal(dir, realisticEntries(0, 2000));
  const serve = await startServe(data);
  const proxy = await startTcpProxy(Number(new URL(serve.url).port));
  const token = await createLog(serve.url, "cut");
  const agent = startCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", proxy.url, "--token", token, "--state", join(t.path, "state"), "--start-at", "oldest", "--batch-max-entries", "500", "--batch-max-ms", "50", "--metrics", "127.0.0.1:0", "--log-level", "info"]);
  try {
    await waitFor("the first 2000 entries", async () => (await logCount(serve.url, "cut")) >= 2000 || undefined, 60_000);
    const m = await waitFor("the metrics address", () => metricsUrl(agent.stderr()));
    proxy.cut();
    writeJournal(dir, realisticEntries(2000, TOTAL - 2000));
    await waitFor("the whole journal read into the disk buffer", async () => ((await readMetric(m, "logharbor_ship_entries_read_total")) ?? 0) >= TOTAL || undefined, 60_000);
    await waitFor("retries while cut", async () => ((await readMetric(m, "logharbor_ship_retries_total")) ?? 0) >= 2 || undefined, 60_000);
    const buffered = (await readMetric(m, "logharbor_ship_buffered_bytes"))!;
    assert.ok(buffered > 1_000_000, `buffered bytes ${buffered}`);
    assert.ok((await logCount(serve.url, "cut")) < TOTAL, "nothing got through the cut");
    const health = await fetch(`${m}/healthz`);
    assert.equal(health.status, 200, "an outage is not a failure of the agent");
    proxy.restore();
    await waitFor("every entry stored", async () => (await logCount(serve.url, "cut")) >= TOTAL || undefined, 120_000);
    await waitFor("the buffer drained", async () => (await readMetric(m, "logharbor_ship_buffered_bytes")) === 0 || undefined, 30_000);
    assert.equal(await readMetric(m, "logharbor_ship_entries_acknowledged_total"), TOTAL);
    assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
    const c = compareStore(journalRows(dir), storeRows(data, "cut"));
    assert.ok(isExact(c), describeComparison(c));
  } finally {
    await agent.stop("SIGKILL");
    await serve.stop();
    await proxy.close();
    t.dispose();
  }
});
