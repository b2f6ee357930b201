// `logharbor ship --config FILE` as a real process: an invalid file is refused before anything
// starts (every problem, by its place in the file); a running agent reads the file again on SIGHUP
// (or, with --config-watch, when it changes), applies a valid change at a batch boundary with every
// entry stored once, and keeps shipping with the last good settings when the new file is invalid.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { journalIdentity } from "../../src/core/journal/cursor.js";
import { startAckReceiver, type AckReceiver } from "../harness/ack-receiver.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, waitFor, type Running } from "../harness/processes.js";

const t = tempDir();
let recv: AckReceiver;
before(async () => (recv = await startAckReceiver()));
after(async () => {
  await recv.close();
  t.dispose();
});

function settings(journalDir: string, token: string, extra = ""): string {
  return `journal: journalctl\njournal_dir: ${journalDir}\nto: ${recv.url}\ntoken: ${token}\nstart_at: oldest\nbatch_max_entries: 50\n${extra}`;
}

function alive(agent: Running): void {
  if (agent.child.exitCode !== null) throw new Error(`ship exited ${agent.child.exitCode}: ${agent.stderr()}`);
}

function storedOnce(): void {
  const ids = recv.stored.map((e) => journalIdentity(e)!);
  assert.equal(new Set(recv.received).size, ids.length, "every entry received is stored");
  assert.equal(new Set(ids).size, ids.length, "nothing stored twice");
}

test("an invalid file is refused with every problem by its place in the file, exit 2, nothing started", async () => {
  const file = join(t.path, "bad.yaml");
  writeFileSync(file, "to: ftp://nowhere\nbatch_max_entries: 0\nbufer_max_bytes: 1\ntransforms:\n  - filtr: {}\n  - multiline: { timeout: 5 }\n");
  const state = join(t.path, "bad-state");
  const r = await runCli(["ship", "--config", file, "--state", state, "--batch-max-ms", "0"]);
  assert.equal(r.code, 2, r.stderr);
  for (const line of [
    `${file}: unknown key "bufer_max_bytes"; did you mean "buffer_max_bytes"?`,
    `${file}: to: unknown scheme "ftp:"`,
    `${file}: batch_max_entries: must be an integer from 1 to 1000000, got "0"`,
    `--batch-max-ms: must be an integer from 1 to 3600000, got "0"`,
    `${file}: transforms[0]: unknown transform "filtr"; did you mean "filter"?`,
    `${file}: transforms[1].multiline: unknown key "timeout"; did you mean "timeout_ms"?`,
    "6 problems in the settings",
  ]) {
    assert.ok(r.stderr.includes(line), `missing: ${line}\n${r.stderr}`);
  }
  assert.equal(existsSync(state), false, "the state directory was not even created");
});

test("SIGHUP applies a changed file at a batch boundary (token and transforms), rejects an invalid one and keeps shipping, and SIGTERM stops it", async () => {
  const journal = join(t.path, "hup", "journal");
  writeJournal(journal, realisticEntries(0, 300));
  const file = join(t.path, "hup.yaml");
  writeFileSync(file, settings(journal, "secret-token-a"));
  const agent = startCli(["ship", "--config", file, "--state", join(t.path, "hup", "state")], { LOGHARBOR_TOKEN: "" });
  try {
    await waitFor("the journal to be shipped", () => (alive(agent), recv.stored.length >= 300 ? true : undefined), 30_000);
    assert.ok(recv.requests.every((r) => r.authorization === "Bearer secret-token-a"));

    // A valid change: new token, and a transform.
    writeFileSync(file, settings(journal, "secret-token-b", "transforms:\n  - enrich: { labels: { CLUSTER: reloaded } }\n"));
    const before = recv.requests.length;
    agent.child.kill("SIGHUP");
    await waitFor("the new configuration to run", () => (alive(agent), agent.stderr().includes("shipping with the new configuration") ? true : undefined));
    writeJournal(journal, realisticEntries(1000, 200));
    await waitFor("the entries written after the reload", () => (alive(agent), recv.stored.length >= 500 ? true : undefined), 30_000);
    assert.ok(recv.requests.slice(before).every((r) => r.authorization === "Bearer secret-token-b"), "the new token after the swap");
    const late = recv.stored.filter((e) => Number(e.get("SEQ")) >= 1000);
    assert.equal(late.length, 200);
    assert.ok(late.every((e) => e.get("CLUSTER") === "reloaded"), "the new transform applies");

    // An invalid change: reported with its problems; the agent keeps shipping with the last good settings.
    writeFileSync(file, settings(journal, "secret-token-c", "batch_max_entries: 0\ncolour: red\n").replace("batch_max_entries: 50\n", ""));
    agent.child.kill("SIGHUP");
    await waitFor("the rejection", () => (alive(agent), agent.stderr().includes("rejected the new configuration file; still running the last good one") ? true : undefined));
    const rejection = agent.stderr().split("\n").find((l) => l.includes("rejected the new configuration file"))!;
    assert.match(rejection, /batch_max_entries: must be an integer from 1 to 1000000, got \\"0\\"/);
    assert.match(rejection, /unknown key \\"colour\\"/);
    const beforeBad = recv.requests.length;
    writeJournal(journal, realisticEntries(2000, 100));
    await waitFor("the entries written after the rejected change", () => (alive(agent), recv.stored.length >= 600 ? true : undefined), 30_000);
    assert.ok(recv.requests.slice(beforeBad).every((r) => r.authorization === "Bearer secret-token-b"), "still the last good token");
  } finally {
    assert.equal(await agent.stop(), 0, agent.stderr());
  }
  assert.match(agent.stdout(), /shipped \d+ entries/);
  assert.doesNotMatch(agent.stderr(), /secret-token/, "no token is ever logged");
  storedOnce();
});

test("--config-watch applies a change of the file without a signal", async () => {
  const journal = join(t.path, "watch", "journal");
  writeJournal(journal, realisticEntries(10_000, 100));
  const file = join(t.path, "watch.yaml");
  writeFileSync(file, settings(journal, "secret-token-w1"));
  const agent = startCli(["ship", "--config", file, "--config-watch", "--state", join(t.path, "watch", "state")], { LOGHARBOR_TOKEN: "" });
  const start = recv.stored.length;
  try {
    await waitFor("the journal to be shipped", () => (alive(agent), recv.stored.length >= start + 100 ? true : undefined), 30_000);
    writeFileSync(file, settings(journal, "secret-token-w2"));
    await waitFor("the change to be applied", () => (alive(agent), agent.stderr().includes("shipping with the new configuration") ? true : undefined));
    const before = recv.requests.length;
    writeJournal(journal, realisticEntries(11_000, 100));
    await waitFor("the entries written after the change", () => (alive(agent), recv.stored.length >= start + 200 ? true : undefined), 30_000);
    assert.ok(recv.requests.slice(before).every((r) => r.authorization === "Bearer secret-token-w2"));
  } finally {
    assert.equal(await agent.stop(), 0, agent.stderr());
  }
  storedOnce();
});

test("without --config, SIGHUP (systemctl reload) leaves the agent running and says why nothing changed", async () => {
  const journal = join(t.path, "plain", "journal");
  writeJournal(journal, realisticEntries(20_000, 50));
  const agent = startCli(["ship", "--journal", "journalctl", "--journal-dir", journal, "--to", recv.url, "--token", "secret-token-p", "--start-at", "oldest", "--state", join(t.path, "plain", "state")], { LOGHARBOR_TOKEN: "" });
  const start = recv.stored.length;
  try {
    await waitFor("the journal to be shipped", () => (alive(agent), recv.stored.length >= start + 50 ? true : undefined), 30_000);
    agent.child.kill("SIGHUP");
    await waitFor("the answer to SIGHUP", () => (alive(agent), agent.stderr().includes("SIGHUP: no --config file to read again; nothing changed") ? true : undefined));
    writeJournal(journal, realisticEntries(21_000, 50));
    await waitFor("entries written after SIGHUP", () => (alive(agent), recv.stored.length >= start + 100 ? true : undefined), 30_000);
  } finally {
    assert.equal(await agent.stop(), 0, agent.stderr());
  }
});
