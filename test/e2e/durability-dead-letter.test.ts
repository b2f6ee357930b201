// Fault test 7: the destination answers 400 for one batch, forever. That batch goes to the
// dead-letter directory (its export bytes, with the reason), counted and logged; every later batch
// flows, and the receiver holds every other journal entry exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { parseExport } from "../../src/core/journal/export-parser.js";
import { journalIdentity } from "../../src/core/journal/cursor.js";
import { bodyOf, startAckReceiver } from "../harness/ack-receiver.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli } from "../harness/processes.js";

const TOTAL = 10_000;
const TOKEN = "dead-letter-token-31f0";

test("dead-letters the batch the destination refuses with 400 forever, and delivers every later batch", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const state = join(t.path, "state");
  writeJournal(dir, realisticEntries(0, TOTAL));
  let refusals = 0;
  const recv = await startAckReceiver({
    token: TOKEN,
    respond: (r) => {
      if (!bodyOf(r).includes("\nSEQ=5000\n")) return undefined;
      refusals++;
      return { status: 400, body: JSON.stringify({ error: { code: "LH_ERR_EXPORT_FORMAT", message: "scripted: this batch is never accepted" } }) };
    },
  });
  try {
    const r = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", recv.url, "--token", TOKEN, "--state", state, "--start-at", "oldest", "--batch-max-entries", "500", "--exit-when-idle", "--log-level", "warn"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(refusals, 1, "a 400 is not retried");
    assert.match(r.stdout, /; 500 entries refused for good, in the dead-letter directory/);
    const logged = r.stderr.split("\n").filter((l) => l.includes("dead-letter")).map((l) => JSON.parse(l) as { entries: number; status: number; reason: string; dead_letter: string });
    assert.equal(logged.length, 1, r.stderr);
    assert.equal(logged[0]!.status, 400);
    assert.match(logged[0]!.reason, /got 400 LH_ERR_EXPORT_FORMAT scripted: this batch is never accepted/);

    const journal = parseExport(spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 }).stdout);
    const refusedSeqs = new Set(journal.map((e) => Number(e.get("SEQ"))).filter((s) => s >= 5000 && s < 5500));
    const dead = parseExport(readFileSync(logged[0]!.dead_letter));
    assert.deepEqual(dead.map((e) => Number(e.get("SEQ"))), [...refusedSeqs], "the dead-letter file holds exactly the refused batch");
    assert.ok(Buffer.concat(dead.map((e) => e.raw)).equals(Buffer.concat(journal.filter((e) => refusedSeqs.has(Number(e.get("SEQ")))).map((e) => e.raw))), "byte for byte");

    const expected = journal.filter((e) => !refusedSeqs.has(Number(e.get("SEQ")))).map((e) => journalIdentity(e));
    // Batches in flight at once may arrive in any order; each entry exactly once.
    assert.deepEqual(recv.stored.map((e) => journalIdentity(e)).sort(), expected.sort(), "every other entry, exactly once");
    assert.equal(recv.duplicates, 0);

    const st = JSON.parse((await runCli(["ship", "--status", "--json", "--state", state])).stdout) as { sinks: { dead_lettered_entries: number; buffered_entries: number }[] };
    assert.equal(st.sinks[0]!.dead_lettered_entries, 500);
    assert.equal(st.sinks[0]!.buffered_entries, 0);
  } finally {
    await recv.close();
    t.dispose();
  }
});
