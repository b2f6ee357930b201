// The fleet view and inactivity alerts with real agents on real journals: three hosts ship, one
// stops (its agent killed); exactly one inactivity notification names it, `logharbor hosts` lists it
// first as silent with every agent's own report beside, and when it ships again a resolved one comes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ExportField } from "../../src/core/journal/export-encoder.js";
import { writeJournal } from "../harness/journal.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor, type Running } from "../harness/processes.js";
import { startWebhookReceiver } from "../harness/webhook-receiver.js";

const HOSTS = ["host-a", "host-b", "host-c"];
let seq = 0;

function entry(host: string, message: string): ExportField[] {
  const us = Date.now() * 1000;
  seq++;
  return [
    ["__REALTIME_TIMESTAMP", String(us)], ["__MONOTONIC_TIMESTAMP", String(1_000_000 + seq)],
    ["_BOOT_ID", "0123456789abcdef0123456789abcdef"], ["_MACHINE_ID", "fedcba9876543210fedcba987654321" + HOSTS.indexOf(host)],
    ["_HOSTNAME", host], ["PRIORITY", "6"], ["_SYSTEMD_UNIT", "app.service"], ["MESSAGE", message], ["SEQ", String(seq)],
  ];
}

test("a host whose agent stops raises one inactivity notification naming it, is listed first as silent, and resolves when it ships again", async () => {
  const t = tempDir();
  const rx = await startWebhookReceiver();
  const serve = await startServe(join(t.path, "data"));
  const agents = new Map<string, Running>();
  const writing = new Set(HOSTS);
  let timer: NodeJS.Timeout | undefined;
  const cli = (args: string[]) => runCli([...args, "--server", serve.url]);
  const startAgent = (host: string) =>
    agents.set(host, startCli(["ship", "--journal", "journalctl", "--journal-dir", join(t.path, host), "--to", serve.url, "--token", token, "--state", join(t.path, `${host}-state`), "--start-at", "oldest", "--batch-max-ms", "200", "--hostname", host, "--log-level", "warn"]));
  let token = "";
  try {
    token = (await cli(["logs", "create", "fleet", "--quiet"])).stdout.trim();
    for (const h of HOSTS) writeJournal(join(t.path, h), [entry(h, `${h} starts`)]);
    for (const h of HOSTS) startAgent(h);
    timer = setInterval(() => {
      for (const h of writing) writeJournal(join(t.path, h), [entry(h, `${h} is fine`)]);
    }, 500);
    const created = await cli(["alerts", "create", "host silent", "--inactivity", "4s", "--per", "host", "--webhook", rx.url]);
    assert.equal(created.code, 0, created.stderr);
    await waitFor("every host to ship", async () => {
      const r = await cli(["hosts", "--json"]);
      const rows = r.stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { host: string; agent: unknown });
      return HOSTS.every((h) => rows.some((x) => x.host === h && x.agent !== null)) ? true : undefined;
    }, 30_000);

    // host-c stops: no more entries, its agent killed.
    writing.delete("host-c");
    agents.get("host-c")!.child.kill("SIGKILL");
    const fired = await waitFor("the inactivity notification", () => rx.received.find((r) => r.doc["state"] === "firing")?.doc, 30_000);
    assert.deepEqual(fired["group"], { host: "host-c" });
    assert.deepEqual(fired["alert"], { name: "host silent", trigger: "inactivity" });

    const hosts = await cli(["hosts", "--json"]);
    const rows = hosts.stdout.trim().split("\n").map((l) => JSON.parse(l) as { host: string; silent: boolean; agent: { version: string; lag_s: number | null } | null });
    assert.equal(rows[0]!.host, "host-c", "the silent host first");
    assert.equal(rows[0]!.silent, true);
    assert.deepEqual(rows.filter((r) => r.silent).map((r) => r.host), ["host-c"], "the Hosts view and the alert agree");
    for (const r of rows) assert.match(r.agent?.version ?? "", /^\d+\.\d+\.\d+/);
    const table = await cli(["hosts"]);
    assert.match(table.stdout, /^HOST\s+STATE/);
    assert.match(table.stdout.split("\n")[1]!, /^host-c\s+SILENT/);
    assert.match(table.stdout, /the inactivity alert "host silent"/);

    // It ships again.
    startAgent("host-c");
    writing.add("host-c");
    const resolved = await waitFor("the resolved notification", () => rx.received.find((r) => r.doc["state"] === "resolved")?.doc, 30_000);
    assert.deepEqual(resolved["group"], { host: "host-c" });
    assert.equal(rx.received.filter((r) => r.doc["state"] === "firing").length, 1, "exactly one firing");
  } finally {
    if (timer) clearInterval(timer);
    for (const a of agents.values()) await a.stop();
    await serve.stop();
    await rx.close();
    t.dispose();
  }
});
