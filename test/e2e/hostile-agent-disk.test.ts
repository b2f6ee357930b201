// The agent on a full state directory (issue 14, item 9): it pauses reading, keeps what it
// buffered, says so in its metrics and `ship --status`, survives a restart while still full (no
// crash loop, no stack), and resumes by itself when space returns: every entry arrives exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor, type Running } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows } from "../harness/store-compare.js";
import { startTcpProxy } from "../harness/tcp-proxy.js";
import { createLog, logCount, metricsUrl, readMetric } from "../harness/fault.js";
import { tinyDisk } from "../harness/tiny-disk.js";

const TOTAL = 12_000;

test("a full state directory pauses the agent, is reported, survives a restart, and everything arrives once space returns", async () => {
  const t = tempDir();
  const disk = tinyDisk(6);
  const dir = join(t.path, "journal");
  const data = join(t.path, "data");
  const state = join(disk.path, "state");
  writeJournal(dir, realisticEntries(0, TOTAL));
  const serve = await startServe(data);
  const proxy = await startTcpProxy(Number(new URL(serve.url).port));
  const token = await createLog(serve.url, "app");
  const argv = ["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", proxy.url, "--token", token, "--state", state, "--start-at", "oldest", "--batch-max-entries", "250", "--metrics", "127.0.0.1:0", "--log-level", "info"];
  let agent: Running | undefined;
  try {
    proxy.cut();
    disk.fill(700 * 1024);
    agent = startCli(argv);
    let m = await waitFor("the metrics address", () => metricsUrl(agent!.stderr()));
    await waitFor("the state directory full", async () => ((await readMetric(m, "logharbor_ship_state_full")) === 1 ? true : undefined), 60_000);
    const read = (await readMetric(m, "logharbor_ship_entries_read_total"))!;
    assert.ok(read < TOTAL, `reading paused: ${read} of ${TOTAL} read`);
    const failures = (await readMetric(m, "logharbor_ship_state_write_failures_total"))!;
    await waitFor("a retry", async () => ((await readMetric(m, "logharbor_ship_state_write_failures_total"))! > failures ? true : undefined), 20_000);
    assert.equal(agent.child.exitCode, null, `the agent keeps running: ${agent.stderr()}`);
    const st = await runCli(["ship", "--status", "--json", "--state", state]);
    assert.equal(st.code, 0, st.stderr);
    const status = JSON.parse(st.stdout) as { disk: { full: boolean }; sinks: { buffered_entries: number }[] };
    assert.equal(status.disk.full, true);
    assert.ok(status.sinks[0]!.buffered_entries > 0, "what was buffered is kept");
    const text = await runCli(["ship", "--status", "--state", state]);
    assert.match(text.stdout, /state disk: FULL/);

    // Stopped and started again while still full: it runs (paused), no crash, no stack.
    assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
    assert.doesNotMatch(agent.stderr(), /\n\s+at /, "no stack trace");
    agent = startCli(argv);
    m = await waitFor("the metrics address", () => metricsUrl(agent!.stderr()));
    await waitFor("paused again", async () => ((await readMetric(m, "logharbor_ship_state_write_failures_total")) ?? 0) > 0 ? true : undefined, 60_000);
    assert.equal(agent.child.exitCode, null, agent.stderr());

    disk.free();
    proxy.restore();
    await waitFor("every entry stored", async () => ((await logCount(serve.url, "app")) >= TOTAL ? true : undefined), 180_000).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${await logCount(serve.url, "app")} stored; agent: ${agent!.stderr().split("\n").filter((l) => !l.includes("retrying")).slice(-15).join("\n")}`);
    });
    assert.equal(await readMetric(m, "logharbor_ship_state_full"), 0);
    assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
    assert.doesNotMatch(agent.stderr(), /\n\s+at /, "no stack trace");
    const c = compareStore(journalRows(dir), storeRows(data, "app"));
    assert.ok(isExact(c), describeComparison(c));
  } finally {
    await agent?.stop("SIGKILL");
    await serve.stop();
    await proxy.close();
    disk.dispose();
    t.dispose();
  }
});
