// Fault test 4: the destination is unreachable and the disk buffer (1 MiB here) fills: the agent
// stops reading the journal (the journal keeps the backlog), its memory stays bounded, and when the
// destination returns everything arrives, exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { startCli, startServe, waitFor } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows } from "../harness/store-compare.js";
import { startTcpProxy } from "../harness/tcp-proxy.js";
import { createLog, logCount, metricsUrl, readMetric } from "../harness/fault.js";

const TOTAL = 20_000;
const MAX = 1024 * 1024;
const BATCH = 250;

function rssMb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
}

test("pauses the source when the disk buffer is full, stays bounded in memory, and delivers everything when the destination returns", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const data = join(t.path, "data");
  writeJournal(dir, realisticEntries(0, TOTAL));
  const serve = await startServe(data);
  const proxy = await startTcpProxy(Number(new URL(serve.url).port));
  const token = await createLog(serve.url, "full");
  proxy.cut();
  const agent = startCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", proxy.url, "--token", token, "--state", join(t.path, "state"), "--start-at", "oldest", "--batch-max-entries", String(BATCH), "--buffer-max-bytes", String(MAX), "--metrics", "127.0.0.1:0", "--log-level", "info"]);
  try {
    const m = await waitFor("the metrics address", () => metricsUrl(agent.stderr()));
    await waitFor("the buffer to fill", async () => ((await readMetric(m, "logharbor_ship_buffered_bytes")) ?? 0) > MAX - 200_000 || undefined, 60_000);
    const read = (await readMetric(m, "logharbor_ship_entries_read_total"))!;
    // Let the agent try (and fail) to send twice more: reading must not have moved meanwhile.
    const retries = (await readMetric(m, "logharbor_ship_retries_total")) ?? 0;
    await waitFor("two more retries", async () => ((await readMetric(m, "logharbor_ship_retries_total")) ?? 0) >= retries + 2 || undefined, 60_000);
    const readLater = (await readMetric(m, "logharbor_ship_entries_read_total"))!;
    const buffered = (await readMetric(m, "logharbor_ship_buffered_bytes"))!;
    assert.ok(buffered <= MAX, `buffered ${buffered} bytes, more than the ${MAX} allowed`);
    assert.ok(readLater < TOTAL / 2, `the source paused: ${readLater} of ${TOTAL} entries read`);
    assert.ok(readLater - read <= 2 * BATCH + 1000, `reading stopped while full (${read} then ${readLater})`);
    const rss = rssMb(agent.child.pid!);
    assert.ok(rss < 250, `agent RSS ${rss.toFixed(0)} MB`);
    proxy.restore();
    await waitFor("every entry stored", async () => (await logCount(serve.url, "full")) >= TOTAL || undefined, 120_000);
    assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
    const c = compareStore(journalRows(dir), storeRows(data, "full"));
    assert.ok(isExact(c), describeComparison(c));
  } finally {
    await agent.stop("SIGKILL");
    await serve.stop();
    await proxy.close();
    t.dispose();
  }
});
