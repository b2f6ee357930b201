// Fault test 5: records in the disk buffer are damaged on disk while the agent is down — a byte
// flipped inside a record of the first segment, and the last segment truncated inside its last
// record. At restart the checksums catch both: the damaged regions are counted, logged and reported
// with the cursors around them, and every other entry is delivered. The store is then compared with
// the journal minus exactly the entries the reports name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor } from "../harness/processes.js";
import { compareStore, describeComparison, isExact, journalRows, storeRows } from "../harness/store-compare.js";
import { startTcpProxy } from "../harness/tcp-proxy.js";
import { createLog, logCount, metricsUrl, readMetric } from "../harness/fault.js";

const TOTAL = 20_000;

interface DamageLine {
  lost_after_cursor: string | null;
  lost_before_cursor: string | null;
  lost_through_cursor: string | null;
}

test("detects damaged buffer records by checksum, reports them, and delivers everything else", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const data = join(t.path, "data");
  const state = join(t.path, "state");
  writeJournal(dir, realisticEntries(0, TOTAL));
  const journal = journalRows(dir);
  const serve = await startServe(data);
  const proxy = await startTcpProxy(Number(new URL(serve.url).port));
  const token = await createLog(serve.url, "corrupt");
  const args = ["--journal", "journalctl", "--journal-dir", dir, "--token", token, "--state", state, "--start-at", "oldest", "--batch-max-entries", "250", "--buffer-max-bytes", String(16 * 1024 * 1024), "--log-level", "info"];
  try {
    proxy.cut();
    const first = startCli(["ship", ...args, "--to", proxy.url, "--metrics", "127.0.0.1:0"]);
    const m = await waitFor("the metrics address", () => metricsUrl(first.stderr()));
    await waitFor("the journal read into the buffer", async () => ((await readMetric(m, "logharbor_ship_entries_read_total")) ?? 0) >= TOTAL || undefined, 60_000);
    const checkpoint = join(state, "checkpoint.json");
    await waitFor("the checkpoint at the last entry", () => existsSync(checkpoint) && (JSON.parse(readFileSync(checkpoint, "utf8")) as { cursor: string }).cursor === journal[TOTAL - 1]!.cursor || undefined);
    first.child.kill("SIGKILL");
    await first.exited;

    const lane = readdirSync(join(state, "buffer")).find((d) => d.startsWith("harbor-"))!;
    const bufDir = join(state, "buffer", lane);
    const segs = readdirSync(bufDir).filter((f) => f.endsWith(".seg")).sort().filter((f) => statSync(join(bufDir, f)).size > 0);
    assert.ok(segs.length >= 2, `segments ${segs}`);
    const a = join(bufDir, segs[0]!);
    const bytes = readFileSync(a);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff; // one flipped byte inside a record
    writeFileSync(a, bytes);
    const z = join(bufDir, segs[segs.length - 1]!);
    truncateSync(z, statSync(z).size - 100); // the last record cut short

    const second = await runCli(["ship", ...args, "--to", serve.url, "--exit-when-idle"]);
    assert.equal(second.code, 0, second.stderr);
    const damages = second.stderr.split("\n").filter((l) => l.includes("damaged records in the disk buffer")).map((l) => JSON.parse(l) as DamageLine);
    assert.equal(damages.length, 2, second.stderr);
    assert.match(second.stdout, /; 2 damaged buffer regions skipped/);
    const st = JSON.parse((await runCli(["ship", "--status", "--json", "--state", state])).stdout) as { reports: { kind: string }[] };
    assert.equal(st.reports.filter((r) => r.kind === "buffer_damage").length, 2);

    // The lost entries: strictly between lost_after and lost_before, or after lost_after through lost_through.
    const index = new Map(journal.map((r, i) => [r.cursor, i]));
    const lost = new Set<number>();
    for (const d of damages) {
      const from = index.get(d.lost_after_cursor!)! + 1;
      const to = d.lost_before_cursor !== null ? index.get(d.lost_before_cursor)! - 1 : index.get(d.lost_through_cursor!)!;
      assert.ok(to - from + 1 > 0 && to - from + 1 <= 500, `a damaged region loses one or two records' entries, not ${to - from + 1}`);
      for (let i = from; i <= to; i++) lost.add(i);
    }
    assert.equal(await logCount(serve.url, "corrupt"), TOTAL - lost.size);
    const c = compareStore(journal.filter((_, i) => !lost.has(i)), storeRows(data, "corrupt"));
    assert.ok(isExact(c), describeComparison(c));
  } finally {
    await serve.stop();
    await proxy.close();
    t.dispose();
  }
});
