// logharbor ship as a real process: journal files made by systemd-journal-remote, read through
// journalctl or gatewayd, shipped to a stand-in receiver that commits and acknowledges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseExport } from "../../src/core/journal/export-parser.js";
import type { ExportField } from "../../src/core/journal/export-encoder.js";
import { bodyOf, startAckReceiver, type AckReceiver } from "../harness/ack-receiver.js";
import { startGatewayd, writeJournal, type Gatewayd } from "../harness/journal.js";
import { realisticEntries, realisticEntry } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, waitFor } from "../harness/processes.js";

const TOKEN = "e2e-token-7d3a1b5c";

function journalCursors(dir: string): string[] {
  const r = spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 });
  return parseExport(r.stdout).map((e) => e.cursor!);
}

function requestCursors(recv: AckReceiver, from = 0): string[][] {
  return recv.requests.slice(from).map((r) => parseExport(bodyOf(r)).map((e) => e.cursor!));
}

/** The last cursor the (only) destination's disk buffer has recorded as acknowledged (ack.json). */
function ackedCursor(state: string): string | undefined {
  const lanes = join(state, "buffer");
  if (!existsSync(lanes)) return undefined;
  for (const lane of readdirSync(lanes)) {
    const f = join(lanes, lane, "ack.json");
    if (existsSync(f)) return (JSON.parse(readFileSync(f, "utf8")) as { last_cursor?: string }).last_cursor;
  }
  return undefined;
}

function savedCursor(state: string): string | undefined {
  const f = join(state, "checkpoint.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { cursor: string }).cursor : undefined;
}

for (const via of ["journalctl", "gatewayd"] as const) {
  test(`resumes with the first unacknowledged batch from the disk buffer when the agent is killed with SIGKILL (${via}): nothing lost, nothing stored twice`, async () => {
    const t = tempDir();
    const dir = join(t.path, "journal");
    const state = join(t.path, "state");
    writeJournal(dir, realisticEntries(0, 20_000));
    const all = journalCursors(dir);
    let gw: Gatewayd | undefined;
    const recv = await startAckReceiver({ token: TOKEN, holdAfter: 12 });
    try {
      if (via === "gatewayd") gw = await startGatewayd(dir);
      const journal = via === "gatewayd" ? ["--journal", `gatewayd:${gw!.socket}`] : ["--journal", "journalctl", "--journal-dir", dir];
      const args = ["ship", ...journal, "--to", recv.url, "--token", TOKEN, "--state", state, "--start-at", "oldest", "--batch-max-entries", "500", "--max-in-flight", "3", "--log-level", "warn"];
      const first = startCli(args);
      // 12 batches acknowledged, then 3 committed by the receiver whose answers are lost: the window
      // is full; meanwhile the journal is read into the disk buffer and checkpointed.
      await waitFor("the in-flight window to fill with unanswered batches", () => recv.requests.length >= 15 && all.indexOf(savedCursor(state) ?? "") >= 15 * 500 - 1, 60_000);
      first.child.kill("SIGKILL");
      assert.equal(await first.exited, "SIGKILL");
      const sentBefore = recv.requests.length;
      const before = requestCursors(recv, 0).map((batch) => Math.max(...batch.map((c) => all.indexOf(c))));
      // What the buffer had recorded as acknowledged when it was killed: it writes ack.json shortly
      // after each answer, so under load the kill may land before the 12th answer is recorded.
      // The receiver answered the first 12 requests to arrive (in flight, they may arrive out of order).
      const ackedAt = all.indexOf(ackedCursor(state) ?? "");
      assert.ok(ackedAt >= 0 && ackedAt <= Math.max(...before.slice(0, 12)), `acknowledged through entry ${ackedAt}: within the 12 answered batches`);
      recv.setHoldAfter(undefined);

      const second = await runCli([...args, "--exit-when-idle"]);
      assert.equal(second.code, 0, second.stderr);
      // Batches in flight may arrive in any order: the earliest entry sent after the restart counts.
      const resumedAt = Math.min(...requestCursors(recv, sentBefore).flat().map((c) => all.indexOf(c)));
      assert.equal(resumedAt, ackedAt + 1, "the restart begins with the first entry not acknowledged, from the disk buffer");
      assert.equal(recv.stored.length, all.length, "every entry stored");
      assert.deepEqual(new Set(recv.stored.map((e) => e.cursor)), new Set(all), "the stored entries are exactly the journal's");
      // Sent again: everything after the acknowledged position that the receiver had committed
      // (the three batches whose answers were lost, at least), which the server deduplicates.
      assert.ok(recv.duplicates >= Math.max(...before.slice(0, sentBefore)) - ackedAt, `duplicates ${recv.duplicates}`);
      assert.equal(savedCursor(state), all[all.length - 1]);
      assert.match(second.stdout, new RegExp(`shipped \\d+ entries .*\\(${all.length - 1 - Math.max(...before.slice(0, sentBefore))} accepted, \\d+ duplicates reported by the server\\)`));
    } finally {
      await gw?.stop();
      await recv.close();
      t.dispose();
    }
  });
}

test("on SIGTERM, sends what it read, saves the checkpoint and exits 0; the next start ships nothing twice", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const state = join(t.path, "state");
  writeJournal(dir, realisticEntries(0, 3000));
  const all = journalCursors(dir);
  const recv = await startAckReceiver({ token: TOKEN });
  try {
    const args = ["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", `${recv.url}?token=${TOKEN}`, "--state", state, "--start-at", "oldest"];
    const run = startCli(args);
    await waitFor("every entry to be stored", () => recv.stored.length === 3000 || undefined);
    assert.equal(await run.stop("SIGTERM"), 0, run.stderr());
    assert.match(run.stdout(), /^logharbor ship: shipped 3000 entries in \d+ batches \(3000 accepted, 0 duplicates reported by the server\)/);
    assert.equal(savedCursor(state), all[all.length - 1]);
    assert.ok(!run.stderr().includes(TOKEN) && !run.stdout().includes(TOKEN), "the token appears in no output");
    const again = await runCli([...args, "--exit-when-idle"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(recv.received.length, 3000, "nothing sent twice");
  } finally {
    await recv.close();
    t.dispose();
  }
});

test("on SIGTERM with the server not answering, exits 0 after the deadline with the entries in the disk buffer, and sends them on the next start", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const state = join(t.path, "state");
  writeJournal(dir, realisticEntries(0, 100));
  const recv = await startAckReceiver({ token: TOKEN, holdAfter: 0 });
  try {
    const run = startCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", recv.url, "--token", TOKEN, "--state", state, "--start-at", "oldest"]);
    await waitFor("a batch to be sent", () => recv.requests.length >= 1 || undefined);
    assert.equal(await run.stop("SIGTERM"), 0, run.stderr());
    assert.match(run.stdout(), /shipped 0 entries .*; \d+ bytes left in the disk buffer are sent on the next start/);
    const all = journalCursors(dir);
    assert.equal(savedCursor(state), all[99], "durably buffered, so checkpointed");
    recv.setHoldAfter(undefined);
    const again = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", recv.url, "--token", TOKEN, "--state", state, "--exit-when-idle"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(recv.stored.map((e) => e.cursor), all, "the buffered entries arrive, in order");
  } finally {
    await recv.close();
    t.dispose();
  }
});

test("a 2 MiB message and binary fields arrive at the receiver byte for byte", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  const big = Buffer.alloc(2 * 1024 * 1024 + 3, "b");
  const entries: ExportField[][] = [
    realisticEntry(0),
    realisticEntry(1, [["HUGE", big]]),
    realisticEntry(2, [["BLOB", Buffer.from([0, 1, 2, 10, 255, 254, 10, 10])]]),
    ...realisticEntries(3, 50),
  ];
  writeJournal(dir, entries);
  const recv = await startAckReceiver({ token: TOKEN });
  try {
    const r = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", recv.url, "--token", TOKEN, "--state", join(t.path, "state"), "--start-at", "oldest", "--exit-when-idle"]);
    assert.equal(r.code, 0, r.stderr);
    const received = Buffer.concat(recv.requests.map((q) => bodyOf(q)));
    const reference = spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 }).stdout;
    assert.ok(received.equals(reference), "the bodies are journalctl's export bytes, unchanged");
    assert.ok(recv.stored[1]!.getBytes("HUGE")!.equals(big));
  } finally {
    await recv.close();
    t.dispose();
  }
});

test("stops with exit 1 and a clear message when the server refuses the token, never printing it", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  writeJournal(dir, realisticEntries(0, 10));
  const recv = await startAckReceiver({ token: "the-right-token" });
  try {
    const r = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", recv.url, "--token", TOKEN, "--state", join(t.path, "state"), "--start-at", "oldest"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused a batch of 10 entries: expected HTTP 200, got 403 LH_ERR_TOKEN_UNKNOWN/);
    assert.ok(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN));
    const st = await runCli(["ship", "--status", "--json", "--state", join(t.path, "state")]);
    assert.equal(st.code, 0, st.stderr);
    const status = JSON.parse(st.stdout) as { sinks: { buffered_entries: number; dead_lettered_entries: number }[] };
    assert.equal(status.sinks[0]!.buffered_entries, 10, "the refused batch stays in the disk buffer");
    assert.equal(status.sinks[0]!.dead_lettered_entries, 0, "a refused token is not a reason to dead-letter");
  } finally {
    await recv.close();
    t.dispose();
  }
});

test("--check prints the settings with the token masked, or every problem with exit 2", async () => {
  const t = tempDir();
  try {
    const ok = await runCli(["ship", "--check", "--journal", "journalctl", "--journal-dir", t.path, "--to", `http://server:8080?token=${TOKEN}`, "--state", join(t.path, "state")]);
    assert.equal(ok.code, 0, ok.stderr);
    const shown = JSON.parse(ok.stdout) as Record<string, unknown>;
    assert.equal(shown["token"], "***");
    assert.equal(shown["ingest_url"], "http://server:8080/api/v1/ingest/journal");
    assert.equal(shown["start_at"], "boot");
    assert.ok(!ok.stdout.includes(TOKEN) && !existsSync(join(t.path, "state")), "--check changes nothing");

    const bad = await runCli(["ship", "--check", "--journal", "gatewayd", "--to", "loki+http://h:3100?max_label_values=0", "--start-at", "someday", "--batch-max-bytes", "10", "--state", join(t.path, "s")]);
    assert.equal(bad.code, 2);
    const lines = bad.stderr.trim().split("\n");
    assert.equal(lines.length, 4, bad.stderr);
    assert.match(bad.stderr, /--journal: expected gatewayd:\/path\/to\/socket, gatewayd:http:\/\/host:port, journalctl, files or files:\/path\/to\/dir; got "gatewayd"/);
    assert.match(bad.stderr, /--to loki\+http:\/\/h:3100: \?max_label_values=: must be an integer from 1 to 100000, got "0"/);
    assert.match(bad.stderr, /--start-at: expected boot, oldest, now or a time/);
    assert.match(bad.stderr, /--batch-max-bytes: must be an integer from 1024 to \d+, got "10"/);
  } finally {
    t.dispose();
  }
});
