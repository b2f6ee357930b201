// logharbor ship with several --to destinations and a route, as real processes: journal files made
// by systemd-journal-remote, read by journalctl, nginx's entries routed to a file, errors to a second
// file and every entry to an acknowledging receiver (test/harness/ack-receiver.ts); a restart resumes each destination with
// neither loss nor duplicates. --check refuses a route naming no destination and shows every one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAckReceiver } from "../harness/ack-receiver.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli } from "../harness/processes.js";

const UNITS = ["nginx.service", "sshd.service", "docker.service", "kubelet.service", "cron.service"];
const seqs = (from: number, to: number, keep: (i: number) => boolean = () => true): string[] =>
  Array.from({ length: to - from }, (_, k) => from + k).filter(keep).map(String);
const isNginx = (i: number): boolean => UNITS[i % UNITS.length] === "nginx.service";
/** realisticEntry's PRIORITY is 3 + i % 4: err for one entry in four. */
const isError = (i: number): boolean => 3 + (i % 4) <= 3;

test("ship to three destinations with a route: nginx to one file, errors to another, everything to the receiver, exactly once across a restart", async () => {
  const t = tempDir();
  const rx = await startAckReceiver({ token: "tok-1" });
  try {
    const dir = join(t.path, "journal");
    const out = join(t.path, "nginx.ndjson");
    const errors = join(t.path, "errors.ndjson");
    const state = join(t.path, "state");
    const config = join(t.path, "ship.yaml");
    writeFileSync(config, [
      "transforms:",
      "  - route:",
      "      - { sink: 0, filter: { units: { include: [nginx] } } }",
      `      - { sink: "file://${errors}", filter: { priority: emerg..err } }`,
      "",
    ].join("\n"));
    const ship = () =>
      runCli([
        "ship", "--config", config, "--journal", "journalctl", "--journal-dir", dir, "--start-at", "oldest", "--exit-when-idle",
        "--state", state, "--to", `file://${out}`, "--to", `file://${errors}`, "--to", rx.url, "--token", "tok-1", "--log-level", "warn",
      ]);
    const seqsIn = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as Record<string, string>)["SEQ"]);
    const fileSeqs = () => seqsIn(out);
    const rxSeqs = () => rx.stored.map((e) => e.get("SEQ"));

    writeJournal(dir, realisticEntries(0, 300), "first");
    const a = await ship();
    assert.equal(a.code, 0, a.stderr);
    assert.deepEqual(fileSeqs(), seqs(0, 300, isNginx), "the file: nginx's entries, each once, in order");
    assert.deepEqual(seqsIn(errors), seqs(0, 300, isError), "the errors file: the err entries, each once, in order");
    assert.deepEqual(rxSeqs(), seqs(0, 300), "the receiver: every entry, in order");
    const lanes = readdirSync(join(state, "buffer")).sort();
    assert.equal(lanes.length, 3, `one buffer lane per destination: ${lanes}`);
    assert.deepEqual(lanes.map((l) => l.replace(/-[0-9a-f]{12}$/, "")), ["file", "file", "harbor"]);

    // More entries, then the same command again: it resumes after the checkpoint in both lanes.
    writeJournal(dir, realisticEntries(300, 200), "second");
    const b = await ship();
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(fileSeqs(), seqs(0, 500, isNginx), "the file after the restart: nothing lost, nothing twice");
    assert.deepEqual(seqsIn(errors), seqs(0, 500, isError), "the errors file after the restart: nothing lost, nothing twice");
    assert.deepEqual(rxSeqs(), seqs(0, 500), "the receiver after the restart: nothing lost");
    assert.equal(rx.received.length, 500, "and nothing sent twice");
  } finally {
    await rx.close();
    t.dispose();
  }
});

test("ship --check: a route naming no destination is refused; every destination is shown, tokens masked", async () => {
  const t = tempDir();
  try {
    const state = join(t.path, "state");
    const bad = join(t.path, "bad.yaml");
    writeFileSync(bad, ["transforms:", "  - route:", "      - { sink: 2, filter: { priority: emerg..err } }", ""].join("\n"));
    const args = (config: string) => ["ship", "--check", "--config", config, "--journal", "journalctl", "--state", state, "--to", "file:///tmp/errors.ndjson", "--to", "http://127.0.0.1:9/?token=secret-tok"];
    const r = await runCli(args(bad));
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /bad\.yaml: transforms: route\[0\]\.sink: expected a destination's position \(0 to 1\) or its URL as given with --to \(file:\/\/\/tmp\/errors\.ndjson, http:\/\/127\.0\.0\.1:9\), got 2/);
    assert.doesNotMatch(r.stderr, /secret-tok/);

    // The same list as a document's `to:`, with a route naming a destination by its URL.
    const good = join(t.path, "good.yaml");
    writeFileSync(good, ["to: [file:///tmp/errors.ndjson, http://127.0.0.1:9/?token=secret-tok]", "transforms:", "  - route:", '      - { sink: "file:///tmp/errors.ndjson", filter: { priority: emerg..err } }', ""].join("\n"));
    const g = await runCli(["ship", "--check", "--config", good, "--journal", "journalctl", "--state", state]);
    assert.equal(g.code, 0, g.stderr);
    const shown = JSON.parse(g.stdout) as { to: string[]; destinations: Record<string, unknown>[] };
    assert.deepEqual(shown.to, ["file:///tmp/errors.ndjson", "http://127.0.0.1:9"]);
    assert.equal(shown.destinations.length, 2);
    assert.equal(shown.destinations[1]!["token"], "***");
    assert.doesNotMatch(g.stdout, /secret-tok/);

    // Every bad destination is named, not only the first; the same one twice is refused.
    const many = await runCli(["ship", "--check", "--journal", "journalctl", "--state", state, "--to", "ftp://x", "--to", "stdout:", "--to", "stdout:", "--to", "http://127.0.0.1:9"]);
    assert.equal(many.code, 2);
    assert.match(many.stderr, /--to: unknown scheme "ftp:"/);
    assert.match(many.stderr, /--to: "stdout:" is given twice \(destinations 1 and 2\)/);
    assert.match(many.stderr, /--to http:\/\/127\.0\.0\.1:9: no ingest token/);
    assert.ok(!existsSync(join(state, "buffer")), "--check starts nothing");
  } finally {
    t.dispose();
  }
});
