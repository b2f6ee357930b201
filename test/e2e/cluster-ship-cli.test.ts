// `logharbor ship --etcd` as a real process: --check prints what etcd and the flags merge into, the
// secrets masked; a running agent ships its host's journal, reports in and leaves when it stops.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Etcd3 } from "etcd3";
import { startAckReceiver, type AckReceiver } from "../harness/ack-receiver.js";
import { startEtcd, type TestEtcd } from "../harness/etcd.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, waitFor } from "../harness/processes.js";

let etcd: TestEtcd;
let kv: Etcd3;
let recv: AckReceiver;
const t = tempDir();

before(async () => {
  etcd = await startEtcd();
  kv = etcd.client();
  recv = await startAckReceiver({ token: "secret-token-b" });
});
after(async () => {
  await recv.close();
  await etcd.dispose();
  t.dispose();
});

test("ship --check --etcd prints the settings merged from etcd and the flags, the token masked", async () => {
  await kv.put("/cli/config").value(`to: ${recv.url}\ntoken: secret-token-a\nbatch_max_entries: 100\nbatch_max_ms: 300\n`);
  await kv.put("/cli/hosts/h1/config").value("batch_max_entries: 50\n");
  const r = await runCli(["ship", "--check", "--etcd", etcd.url, "--etcd-prefix", "/cli", "--hostname", "h1", "--journal", "journalctl", "--state", join(t.path, "check"), "--batch-max-ms", "400"], { LOGHARBOR_TOKEN: "" });
  assert.equal(r.code, 0, r.stderr);
  const shown = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(shown["batch_max_entries"], 50, "the host's key beats the cluster's");
  assert.equal(shown["batch_max_ms"], 400, "a flag beats etcd");
  assert.equal(shown["batch_max_bytes"], 4 * 1024 * 1024, "a default where nobody says otherwise");
  assert.equal(shown["hostname"], "h1");
  assert.equal(shown["from"], "etcd");
  assert.doesNotMatch(r.stdout, /secret-token-a/);
});

test("ship --etcd --config FILE: the file is the lowest layer, below etcd, the environment and the flags", async () => {
  await kv.put("/cli-file/config").value(`to: ${recv.url}\nbatch_max_entries: 20\n`);
  await kv.put("/cli-file/hosts/h3/config").value("batch_max_bytes: 65536\n");
  const file = join(t.path, "h3.yaml");
  writeFileSync(file, "journal: journalctl\nbatch_max_entries: 10\nbatch_max_bytes: 32768\nbatch_max_ms: 111\nmax_in_flight: 5\ntoken: from-file\ntransforms:\n  - filter: { priority: err }\n");
  const r = await runCli(["ship", "--check", "--etcd", etcd.url, "--etcd-prefix", "/cli-file", "--hostname", "h3", "--config", file, "--state", join(t.path, "check-file"), "--max-in-flight", "2"], { LOGHARBOR_TOKEN: "secret-from-env" });
  assert.equal(r.code, 0, r.stderr);
  const shown = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(shown["batch_max_entries"], 20, "the cluster's key beats the file");
  assert.equal(shown["batch_max_bytes"], 65536, "the host's key beats the file");
  assert.equal(shown["batch_max_ms"], 111, "the file where etcd says nothing");
  assert.equal(shown["max_in_flight"], 2, "a flag beats the file");
  assert.deepEqual(shown["transforms"], [{ filter: { priority: "err" } }], "transforms from the file");
  assert.equal(shown["config"], file);
  assert.doesNotMatch(r.stdout, /secret-from-env|from-file/, "the token is masked");
  const bad = join(t.path, "bad.yaml");
  writeFileSync(bad, "batch_max_entries: many\n");
  const no = await runCli(["ship", "--etcd", etcd.url, "--etcd-prefix", "/cli-file", "--hostname", "h3", "--config", bad, "--state", join(t.path, "bad-state")]);
  assert.equal(no.code, 2);
  assert.match(no.stderr, new RegExp(`${bad}: batch_max_entries: expected an integer, got "many"`));
  assert.match(no.stderr, /nothing was started/);
});

test("ship --etcd --hostname ships its host's journal with the token from etcd, reports in, and shows as stopped when stopped", async () => {
  const dir = join(t.path, "h2", "journal");
  writeJournal(dir, realisticEntries(0, 500));
  await kv.put("/cli/config").value(`to: ${recv.url}\ntoken: secret-token-b\nstart_at: oldest\n`);
  await kv.put("/cli/hosts/h2/config").value(`journal: journalctl\njournal_dir: ${dir}\n`);
  const agent = startCli(["ship", "--etcd", etcd.url, "--etcd-prefix", "/cli", "--hostname", "h2", "--state", join(t.path, "h2", "state"), "--log-level", "warn"], { LOGHARBOR_TOKEN: "" });
  try {
    await waitFor("the journal to be shipped", () => {
      if (agent.child.exitCode !== null) throw new Error(`ship exited ${agent.child.exitCode}: ${agent.stderr()}`);
      return recv.stored.length === 500 ? true : undefined;
    }, 30_000);
    const s = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/cli"]);
    const rows = s.stdout.trim().split("\n").map((l) => JSON.parse(l) as { hostname: string; config: string; last_error: string | null });
    assert.deepEqual(rows.map((x) => [x.hostname, x.config, x.last_error]), [["h2", "etcd", null]]);
  } finally {
    assert.equal(await agent.stop(), 0, agent.stderr());
  }
  assert.doesNotMatch(agent.stderr(), /secret-token/, "the token is never logged");
  const s = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-prefix", "/cli"]);
  assert.match(s.stdout, /h2\s+stopped \S+/, "a cleanly stopped agent is listed as stopped");
});

test("an agent whose destination refuses every connection reports a lag counted from its oldest unacknowledged entry and the delivery error; killed, it stays listed as silent", async () => {
  const dir = join(t.path, "h4", "journal");
  // 300 entries 1 ms apart, none ever acknowledged: the lag counts from the first one read.
  writeJournal(dir, [...realisticEntries(0, 300)]);
  await kv.put("/cli-down/config").value(`to: http://127.0.0.1:9/\ntoken: t\njournal: journalctl\njournal_dir: ${dir}\nstart_at: oldest\n`);
  const agent = startCli(["ship", "--etcd", etcd.url, "--etcd-prefix", "/cli-down", "--hostname", "h4", "--state", join(t.path, "h4", "state"), "--log-level", "silent"], { LOGHARBOR_TOKEN: "" });
  try {
    const row = await waitFor("the agent to report its delivery failure", async () => {
      const s = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/cli-down"]);
      const r = s.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { state: string; lag_seconds: number | null; last_error: string | null; buffer_bytes: number })[0];
      return r && r.last_error !== null && (r.lag_seconds ?? 0) > 0 ? r : undefined;
    }, 30_000);
    assert.equal(row.state, "live");
    assert.match(row.last_error!, /127\.0\.0\.1:9.*(ECONNREFUSED|network error)/);
    assert.ok(row.buffer_bytes > 0, "what it read waits in its buffer");
  } finally {
    agent.child.kill("SIGKILL");
    await new Promise((r) => agent.child.once("exit", r));
  }
  const silent = await waitFor("the lease to end", async () => {
    const s = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/cli-down"]);
    const r = s.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { hostname: string; state: string })[0];
    return r?.state === "silent" ? r : undefined;
  }, 30_000);
  assert.equal(silent.hostname, "h4");
});
