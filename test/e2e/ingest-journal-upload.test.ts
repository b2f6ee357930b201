// Stock systemd-journal-upload against our POST /t/TOKEN/upload: every entry of a real journal
// file arrives, and a restarted upload (--save-state resumes AT the saved cursor, repeating one
// entry) stores no duplicate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { ExportField } from "../../src/core/journal/export-encoder.js";
import { writeJournal } from "../harness/journal.js";
import { eventsOf, metric, startIngestServer } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";

const UPLOAD = "/lib/systemd/systemd-journal-upload";
const BOOT = "5a1e0c7d9b8f4e3aa2b1c0d9e8f7a6b5";

function entry(i: number): ExportField[] {
  return [
    ["__REALTIME_TIMESTAMP", String(1_700_000_000_000_000 + i * 1000)],
    ["__MONOTONIC_TIMESTAMP", String(5_000_000 + i * 1000)],
    ["_BOOT_ID", BOOT],
    ["_HOSTNAME", "web-3"],
    ["_SYSTEMD_UNIT", "app.service"],
    ["PRIORITY", String(i % 8)],
    ["MESSAGE", i % 10 === 0 ? `multi\nline ${i}` : `entry ${i}`],
  ];
}

function range(from: number, n: number): ExportField[][] {
  return Array.from({ length: n }, (_, k) => entry(from + k));
}

/** Runs journal-upload (asynchronously: the server answers from this same process). */
function upload(url: string, file: string, state: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(UPLOAD, ["--follow=no", `--url=${url}`, `--file=${file}`, `--save-state=${state}`], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (status) => resolve({ status, stderr })));
}

test("systemd-journal-upload ships every entry of a journal file; a restarted upload stores no duplicate", async () => {
  const dir = tempDir();
  const s = await startIngestServer({});
  try {
    const log = s.store.createLog("hosts");
    const file = writeJournal(join(dir.path, "j"), range(0, 300));
    const state = join(dir.path, "upload.state");
    const first = await upload(`${s.url}/t/${log.token}`, file, state);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(s.store.count(log.id), 300);
    const evs = eventsOf(s, log.id);
    assert.equal(evs[0]!.message, "multi\nline 0");
    assert.equal(evs[0]!.host, "web-3");
    assert.equal(evs[0]!.unit, "app.service");
    assert.equal(evs[299]!.message, "entry 299");

    writeJournal(join(dir.path, "j"), range(300, 50));
    const second = await upload(`${s.url}/t/${log.token}`, file, state);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(s.store.count(log.id), 350);
    const messages = eventsOf(s, log.id).map((e) => e.message);
    assert.equal(new Set(messages).size, 350, "no message stored twice");
    assert.ok((await metric(s, "logharbor_ingest_entries_total", { protocol: "journal-upload", result: "duplicate" })) >= 1, "the resumed upload repeated its saved entry, and it was deduplicated");
  } finally {
    await s.stop();
    dir.dispose();
  }
});

test("systemd-journal-upload with an unknown token fails and stores nothing", async () => {
  const dir = tempDir();
  const s = await startIngestServer({});
  try {
    s.store.createLog("hosts");
    const file = writeJournal(join(dir.path, "j"), range(0, 5));
    const r = await upload(`${s.url}/t/00000000-0000-4000-8000-000000000000`, file, join(dir.path, "state"));
    assert.notEqual(r.status, 0);
    assert.equal(s.store.count(), 0);
  } finally {
    await s.stop();
    dir.dispose();
  }
});
