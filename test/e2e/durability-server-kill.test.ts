// Fault test 2: the server is killed with SIGKILL and restarted twice while entries flow; the agent
// (following, through gatewayd) keeps what the dead server never acknowledged in its disk buffer
// and retries it: the store ends up holding every journal entry exactly once. A TCP proxy keeps the
// agent's address while the restarted server listens on a new port. 20,000 entries (the issue's
// 100,000, scaled down for the suite's time budget).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startGatewayd, writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { startCli, startServe, waitFor, type Serve } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows } from "../harness/store-compare.js";
import { startTcpProxy } from "../harness/tcp-proxy.js";
import { createLog, logCount } from "../harness/fault.js";

const TOTAL = 20_000;

test("loses and duplicates nothing when the server is killed with SIGKILL and restarted twice during the flow", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const data = join(t.path, "data");
  writeJournal(dir, realisticEntries(0, TOTAL / 2));
  let serve: Serve = await startServe(data);
  const proxy = await startTcpProxy(Number(new URL(serve.url).port));
  const gw = await startGatewayd(dir);
  const token = await createLog(serve.url, "restarts");
  const agent = startCli(["ship", "--journal", `gatewayd:${gw.socket}`, "--to", proxy.url, "--token", token, "--state", join(t.path, "state"), "--start-at", "oldest", "--batch-max-entries", "250", "--batch-max-ms", "50", "--log-level", "warn"]);
  try {
    for (const at of [TOTAL / 6, TOTAL / 2 + TOTAL / 6]) {
      await waitFor(`${at} entries stored`, async () => (await logCount(serve.url, "restarts")) >= at || undefined, 60_000);
      serve.child.kill("SIGKILL");
      await serve.exited;
      if (at < TOTAL / 2) writeJournal(dir, realisticEntries(TOTAL / 2, TOTAL / 2)); // more entries while the server is down
      serve = await startServe(data);
      proxy.retarget(Number(new URL(serve.url).port));
    }
    await waitFor("every entry stored", async () => (await logCount(serve.url, "restarts")) >= TOTAL || undefined, 120_000);
    assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
    assert.match(agent.stderr(), /batch not acknowledged; retrying/, "the agent saw the server go away and retried");
    const c = compareStore(journalRows(dir), storeRows(data, "restarts"));
    assert.equal(c.expected, TOTAL);
    assert.ok(isExact(c), describeComparison(c));
  } finally {
    await agent.stop("SIGKILL");
    await gw.stop();
    await serve.stop();
    await proxy.close();
    t.dispose();
  }
});
