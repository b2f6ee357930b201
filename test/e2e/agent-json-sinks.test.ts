// logharbor ship to the JSON destinations, as real processes: journal files made by
// systemd-journal-remote, read by journalctl, shipped to a file, to a receiver implementing Loki's
// push API and to one implementing Elasticsearch's _bulk API (test/harness; real Loki and
// Elasticsearch are not available here, docs/sinks.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEsReceiver } from "../harness/es-receiver.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { startLokiReceiver } from "../harness/loki-receiver.js";
import { tempDir } from "../harness/paths.js";
import { runCli } from "../harness/processes.js";

test("ship delivers one journal whole to a file, to Loki and to Elasticsearch; shipping again adds nothing to Elasticsearch", async () => {
  const t = tempDir();
  const loki = await startLokiReceiver();
  const es = await startEsReceiver();
  try {
    const dir = join(t.path, "journal");
    writeJournal(dir, realisticEntries(0, 300));
    const ship = (to: string, state: string) =>
      runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--start-at", "oldest", "--exit-when-idle", "--state", join(t.path, state), "--to", to, "--log-level", "warn"]);

    const out = join(t.path, "out.ndjson");
    const f = await ship(`file://${out}`, "s-file");
    assert.equal(f.code, 0, f.stderr);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual(lines.map((l) => l["SEQ"]), Array.from({ length: 300 }, (_, i) => String(i)));
    assert.ok(lines[0]!["__CURSOR"] && lines[0]!["_SYSTEMD_UNIT"], "every journal field, journalctl -o json style");

    const l = await ship(`loki+${loki.url}`, "s-loki");
    assert.equal(l.code, 0, l.stderr);
    const stored = [...loki.streams.values()];
    assert.equal(stored.reduce((n, s) => n + s.values.length, 0), 300);
    assert.deepEqual(new Set(stored.map((s) => s.labels["unit"])), new Set(["nginx.service", "sshd.service", "docker.service", "kubelet.service", "cron.service"]));
    for (const s of stored) assert.deepEqual(s.values.map((v) => v[0]), [...s.values.map((v) => v[0])].sort(), "time order per stream");

    const e1 = await ship(`elasticsearch+${es.url}/journal-%25Y.%25m`, "s-es");
    assert.equal(e1.code, 0, e1.stderr);
    assert.deepEqual([...es.indices.keys()], ["journal-2023.11"]);
    assert.equal(es.indices.get("journal-2023.11")!.size, 300);
    const e2 = await ship(`elasticsearch+${es.url}/journal-%25Y.%25m`, "s-es-again");
    assert.equal(e2.code, 0, e2.stderr);
    assert.equal(es.indices.get("journal-2023.11")!.size, 300, "the replay was answered 409 per entry: no duplicates");
  } finally {
    await loki.close();
    await es.close();
    t.dispose();
  }
});
