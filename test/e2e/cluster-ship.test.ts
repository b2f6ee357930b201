// Five agents (five host identities, five journals, five state directories) configured only from a
// real etcd: a token change reaches all of them and each switches at a batch boundary, every entry
// stored exactly once; an invalid change leaves them shipping on the old configuration, reported;
// with etcd stopped they keep shipping, after it returns they follow two quick changes (the second
// arriving while the first is being applied) and each stops on the first request.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Etcd3 } from "etcd3";
import { parseExport } from "../../src/core/journal/export-parser.js";
import { journalIdentity } from "../../src/core/journal/cursor.js";
import { startEtcdShip, type EtcdShip } from "../../src/agent/cluster/ship-etcd.js";
import { silentLogger } from "../../src/agent/logger.js";
import { startAckReceiver, type AckReceiver } from "../harness/ack-receiver.js";
import { startEtcd, type TestEtcd } from "../harness/etcd.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, waitFor } from "../harness/processes.js";

const HOSTS = ["host-1", "host-2", "host-3", "host-4", "host-5"];
const PER_HOST = 3000;

function identities(dir: string): string[] {
  const r = spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 });
  return parseExport(r.stdout).map((e) => journalIdentity(e)!);
}

let etcd: TestEtcd;
let kv: Etcd3;
let recv: AckReceiver;
const t = tempDir();
const agents: EtcdShip[] = [];
const expected: string[] = [];

before(async () => {
  etcd = await startEtcd();
  kv = etcd.client();
  for (const [i, h] of HOSTS.entries()) {
    const dir = join(t.path, h, "journal");
    writeJournal(dir, realisticEntries(i * PER_HOST, PER_HOST));
    expected.push(...identities(dir));
  }
});
after(async () => {
  // Bounded: an agent that does not stop is a failure to report, not a hang of the suite.
  const stopped = await Promise.race([Promise.all(agents.map((a) => a.stop())).then(() => true), sleep(20_000).then(() => false)]);
  assert.ok(stopped, "every agent stops within 20 s of stop()");
  await recv?.close();
  await etcd.dispose();
  t.dispose();
});

test("five agents configured only from etcd switch token at a batch boundary with every entry stored once, and ride out an invalid change", async () => {
  // Each request after the 10th is stored but not answered until the token changed: every agent
  // is mid-stream, with batches in flight, when the change arrives.
  recv = await startAckReceiver({ holdAfter: 10 });
  await kv.put("/five/config").value(`to: ${recv.url}\ntoken: token-a\nstart_at: oldest\nbatch_max_entries: 100\nmax_in_flight: 2\nlog_level: silent\n`);
  for (const h of HOSTS) {
    await kv.put(`/five/hosts/${h}/config`).value(`journal: journalctl\njournal_dir: ${join(t.path, h, "journal")}\n`);
  }
  for (const h of HOSTS) {
    agents.push(
      await startEtcdShip({
        etcd: { connection: { hosts: [etcd.url] }, prefix: "/five" },
        hostname: h,
        base: { flags: { state: join(t.path, h, "state") }, env: {} },
        stateDir: join(t.path, h, "state"),
        log: silentLogger(),
        leaseTtlSeconds: 3,
      }),
    );
  }
  const status = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/five"]);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(status.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { hostname: string }).hostname), HOSTS);

  await waitFor("batches to be in flight", () => (recv.requests.length > 10 ? true : undefined));
  const before = recv.requests.length;
  await kv.put("/five/config").value(`to: ${recv.url}\ntoken: token-b\nstart_at: oldest\nbatch_max_entries: 100\nmax_in_flight: 2\nlog_level: silent\n`);
  await waitFor("every agent to take the new configuration", () => (agents.every((a) => a.live.current?.destination.kind === "harbor" && a.live.current.destination.token === "token-b") ? true : undefined));
  recv.setHoldAfter(undefined);
  await waitFor("every entry to be stored", () => (recv.stored.length >= expected.length ? true : undefined), 60_000);
  await waitFor("every agent to have swapped", () => (agents.every((a) => a.ship.swaps === 1) ? true : undefined));

  const stored = recv.stored.map((e) => journalIdentity(e)!);
  assert.equal(new Set(stored).size, stored.length, "nothing stored twice");
  assert.deepEqual([...stored].sort(), [...expected].sort(), "every entry stored");
  const tokens = recv.requests.slice(before).map((r) => r.authorization);
  assert.ok(tokens.includes("Bearer token-b"), "the new token is used");
  const firstB = recv.requests.findIndex((r) => r.authorization === "Bearer token-b");
  assert.ok(recv.requests.slice(firstB).every((r) => r.authorization === "Bearer token-b"), "no old-token batch after the switch");

  // Invalid YAML: every agent keeps its configuration and reports the error in its registration.
  await kv.put("/five/config").value("to: [unclosed\n");
  await waitFor("every agent to report the rejection", async () => {
    const r = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/five"]);
    const rows = r.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { last_error: string | null });
    return rows.length === HOSTS.length && rows.every((x) => x.last_error?.includes("expected YAML or JSON")) ? true : undefined;
  });
  for (const a of agents) {
    assert.ok(a.live.current?.destination.kind === "harbor" && a.live.current.destination.token === "token-b");
    assert.equal(a.ship.swaps, 1);
  }
});

const config = (token: string): string => `to: ${recv.url}\ntoken: ${token}\nstart_at: oldest\nbatch_max_entries: 100\nmax_in_flight: 2\nlog_level: silent\n`;
const hasToken = (a: EtcdShip, token: string): boolean => a.live.current?.destination.kind === "harbor" && a.live.current.destination.token === token;

/** Appends entries to every host's journal; `expected` then holds every entry of every journal. */
function grow(from: number, count: number): void {
  for (const [i, h] of HOSTS.entries()) writeJournal(join(t.path, h, "journal"), realisticEntries(from + i * 10_000, count));
  expected.length = 0;
  for (const h of HOSTS) expected.push(...identities(join(t.path, h, "journal")));
}

test("agents keep shipping while etcd is down, follow two changes made after it returns (the second while the first is being applied), and stop on the first request", async () => {
  // etcd goes away: every agent keeps shipping what its journal gains meanwhile.
  await etcd.stop();
  grow(100_000, 200);
  await waitFor("the entries written while etcd was down to be stored", () => (recv.stored.length >= expected.length ? true : undefined), 60_000);
  await etcd.start();
  await waitFor("every agent to be connected to etcd again", () => (agents.every((a) => a.live.connected) ? true : undefined), 30_000);

  // Batches in flight and unanswered: a change makes each agent drain its pipeline until the drain
  // deadline, and a second change arrives while that first swap is still going on.
  recv.setHoldAfter(recv.requests.length);
  grow(200_000, 300);
  await waitFor("every agent to have batches in flight", () => (agents.every((a) => a.ship.run.pipeline.lanes[0]!.inFlightEntries > 0) ? true : undefined), 30_000);
  await kv.put("/five/config").value(config("token-c"));
  await waitFor("every agent to take the first change", () => (agents.every((a) => hasToken(a, "token-c")) ? true : undefined), 30_000);
  await kv.put("/five/config").value(config("token-d"));
  await waitFor("every agent to take the second change", () => (agents.every((a) => hasToken(a, "token-d")) ? true : undefined), 30_000);
  assert.ok(agents.every((a) => a.ship.swaps === 1), `the second change arrived while the first swap was draining (the case under test); swaps: ${agents.map((a) => a.ship.swaps).join(",")} in flight ${agents.map((a) => a.ship.run.pipeline.lanes[0]!.inFlightEntries).join(",")}`);
  recv.setHoldAfter(undefined);
  // The pipeline of the first change is stopped right after it started (while its source is still
  // finding its start position); it must end, and the second change's pipeline take over.
  await waitFor("every agent to run the second change's pipeline", () => (agents.every((a) => a.ship.swaps === 3) ? true : undefined), 30_000);
  grow(300_000, 200);
  await waitFor("every entry to be stored", () => (recv.stored.length >= expected.length ? true : undefined), 60_000);
  assert.ok(recv.requests.slice(-5).every((r) => r.authorization === "Bearer token-d"), "the last batches carry the second change's token");

  // One request to stop each agent (as one SIGTERM): every one stops, drained and unregistered.
  const stopped = new Set<string>();
  const stopping = agents.map((a) => a.stop().then(() => stopped.add(a.hostname)));
  await waitFor("every agent to stop after one request", () => (stopped.size === HOSTS.length ? true : undefined), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}; still running: ${HOSTS.filter((h) => !stopped.has(h)).join(", ")}`);
  });
  await Promise.all(stopping);
  agents.length = 0;
  const stored = recv.stored.map((e) => journalIdentity(e)!);
  assert.equal(new Set(stored).size, stored.length, "nothing stored twice");
  assert.deepEqual([...stored].sort(), [...expected].sort(), "every entry stored");
});
