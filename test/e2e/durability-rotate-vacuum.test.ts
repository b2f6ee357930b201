// Fault test 6: the journal is rotated (new files) and vacuumed (oldest file deleted) under the
// agent while it follows; later, while the agent is stopped, the file holding its saved cursor is
// vacuumed too. Both journalctl --after-cursor and gatewayd's Range CURSOR:1: would then silently
// skip the oldest entry still there; the agent verifies the cursor, reports the gap (log line,
// STATE/reports.jsonl, --status) and resumes with the oldest entry: nothing after the gap is lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startGatewayd, writeJournal, type Gatewayd } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows, type JournalRow } from "../harness/store-compare.js";
import { createLog, logCount } from "../harness/fault.js";

for (const restartVia of ["journalctl", "gatewayd", "files"] as const) {
  test(`survives rotation and vacuum while following, and reports the gap when the saved cursor was vacuumed (restart through ${restartVia}${restartVia === "files" ? ", following through files too" : ""})`, async () => {
    const t = tempDir();
    const dir = join(t.path, "journal");
    const data = join(t.path, "data");
    const state = join(t.path, "state");
    const serve = await startServe(data);
    let gw: Gatewayd | undefined;
    try {
      const token = await createLog(serve.url, "rotate");
      const common = ["--to", serve.url, "--token", token, "--state", state, "--start-at", "oldest", "--batch-max-entries", "300", "--batch-max-ms", "50", "--log-level", "warn"];
      const kept: JournalRow[] = [];
      writeJournal(dir, realisticEntries(0, 3000), "a");
      kept.push(...journalRows(dir));
      const following = restartVia === "files" ? ["--journal", `files:${dir}`] : ["--journal", "journalctl", "--journal-dir", dir];
      const agent = startCli(["ship", ...following, ...common]);
      await waitFor("file a shipped", async () => (await logCount(serve.url, "rotate")) >= 3000 || undefined, 60_000);
      writeJournal(dir, realisticEntries(3000, 3000), "b"); // rotation: a new file
      await waitFor("file b shipped", async () => (await logCount(serve.url, "rotate")) >= 6000 || undefined, 60_000);
      rmSync(join(dir, "a.journal")); // vacuum under the running agent
      writeJournal(dir, realisticEntries(6000, 1000), "b");
      await waitFor("appended entries shipped", async () => (await logCount(serve.url, "rotate")) >= 7000 || undefined, 60_000);
      kept.push(...journalRows(dir));
      assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());

      // While stopped: 1000 more entries in b, rotation to c, and b (holding the saved cursor) vacuumed.
      writeJournal(dir, realisticEntries(7000, 1000), "b");
      writeJournal(dir, realisticEntries(8000, 2000), "c");
      rmSync(join(dir, "b.journal"));
      const afterGap = journalRows(dir);
      kept.push(...afterGap);

      let journal = following;
      if (restartVia === "gatewayd") {
        gw = await startGatewayd(dir);
        journal = ["--journal", `gatewayd:${gw.socket}`];
      }
      const again = startCli(["ship", ...journal, ...common]);
      await waitFor("file c shipped", async () => (await logCount(serve.url, "rotate")) >= 9000 || undefined, 60_000);
      assert.equal(await again.stop("SIGTERM"), 0, again.stderr());
      assert.match(again.stderr(), /the entry to resume after is no longer in the journal/);

      const st = JSON.parse((await runCli(["ship", "--status", "--json", "--state", state])).stdout) as { reports: { kind: string; resumed_at_cursor: string }[] };
      const gaps = st.reports.filter((r) => r.kind === "journal_gap");
      assert.equal(gaps.length, 1);
      assert.equal(gaps[0]!.resumed_at_cursor, afterGap[0]!.cursor, "resumed with the oldest entry still there");

      const unique = [...new Map(kept.map((r) => [r.ident, r])).values()];
      assert.equal(unique.length, 9000, "entries 7000-7999 were vacuumed before anyone read them");
      const c = compareStore(unique, storeRows(data, "rotate"));
      assert.ok(isExact(c), describeComparison(c));
    } finally {
      await gw?.stop();
      await serve.stop();
      t.dispose();
    }
  });
}
