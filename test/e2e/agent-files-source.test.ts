// The files source in the whole agent: a state directory switches between the journalctl and files
// sources with the same checkpoint (journalctl → files → journalctl) and the receiver gets every
// entry exactly once; the agent runs with no journalctl on its PATH at all; a corrupt file is named
// with its byte offset while the other files still ship.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseExport } from "../../src/core/journal/export-parser.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli } from "../harness/processes.js";
import { startAckReceiver } from "../harness/ack-receiver.js";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test("a state directory switches journalctl → files → journalctl with the same checkpoint: zero lost, zero duplicated", async () => {
  const t = tempDir();
  const rx = await startAckReceiver();
  try {
    const dir = join(t.path, "journal");
    const state = join(t.path, "state");
    const common = ["--to", rx.url, "--token", "t", "--state", state, "--start-at", "oldest", "--exit-when-idle", "--batch-max-entries", "250", "--log-level", "warn"];
    writeJournal(dir, realisticEntries(0, 1000), "a");
    const first = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, ...common]);
    assert.equal(first.code, 0, first.stderr);
    writeJournal(dir, realisticEntries(1000, 1000), "a"); // appended
    writeJournal(dir, realisticEntries(2000, 500), "b"); // a second file
    const second = await runCli(["ship", "--journal", `files:${dir}`, ...common]);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /no longer in the journal/, "the journalctl checkpoint was found in the files");
    writeJournal(dir, realisticEntries(2500, 500), "b");
    const third = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, ...common]);
    assert.equal(third.code, 0, third.stderr);
    assert.doesNotMatch(third.stderr, /no longer in the journal/, "the files checkpoint was found by journalctl");
    const seqs = rx.stored.map((e) => Number(e.get("SEQ"))).sort((a, b) => a - b);
    assert.equal(rx.duplicates, 0, "no entry sent twice");
    assert.equal(rx.received.length, 3000, "no entry sent twice");
    assert.deepEqual(seqs, range(0, 3000));
  } finally {
    await rx.close();
    t.dispose();
  }
});

test("the agent ships from the journal files with no journalctl on its PATH, and names a corrupt file and offset while the rest ships", async () => {
  const t = tempDir();
  const rx = await startAckReceiver();
  try {
    const dir = join(t.path, "journal");
    writeJournal(dir, realisticEntries(0, 800), "good");
    const bad = writeJournal(join(t.path, "other"), realisticEntries(800, 400), "bad");
    // A copy of a file whose second half was overwritten with garbage (a disk error): its entries
    // before the damage still ship, the damage is reported by file and offset.
    const b = readFileSync(bad);
    const tail = Number(b.readBigUInt64LE(136));
    const firstArray = Number(b.readBigUInt64LE(176));
    b.fill(0xa5, firstArray + Math.floor((tail - firstArray) * 0.7), tail + 64);
    writeFileSync(join(dir, "damaged.journal"), b);
    copyFileSync(join(dir, "good.journal"), join(dir, "good-copy.journal~"));
    // PATH holds node and nothing else.
    const bin = join(t.path, "bin");
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    const r = await runCli(
      ["ship", "--journal", `files:${dir}`, "--to", rx.url, "--token", "t", "--state", join(t.path, "state"), "--start-at", "oldest", "--exit-when-idle", "--log-level", "warn"],
      { PATH: bin },
    );
    assert.equal(r.code, 0, r.stderr);
    const seqs = new Set(rx.stored.map((e) => Number(e.get("SEQ"))));
    for (const s of range(0, 800)) assert.ok(seqs.has(s), `entry ${s} of the good file shipped`);
    const readable = parseExport(spawnSync("journalctl", [`--file=${join(dir, "damaged.journal")}`, "-o", "export"], { maxBuffer: 1 << 30 }).stdout).length;
    assert.ok(readable > 0 && readable < 400, `journalctl reads ${readable} entries of the damaged file`);
    assert.deepEqual([...seqs].filter((s) => s >= 800).sort((a, b) => a - b), range(800, 800 + readable), "the damaged file's entries before the damage shipped, as journalctl reads them");
    assert.equal(rx.duplicates, 0);
    const line = r.stderr.split("\n").find((l) => l.includes("damaged.journal"));
    assert.ok(line !== undefined, `the damaged file is named: ${r.stderr}`);
    const logged = JSON.parse(line!) as { file: string; offset: number; err: string };
    assert.equal(logged.file, join(dir, "damaged.journal"));
    assert.ok(logged.offset > 0 && /at byte \d+/.test(logged.err), logged.err);
  } finally {
    await rx.close();
    t.dispose();
  }
});
