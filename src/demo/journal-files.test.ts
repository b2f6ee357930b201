import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseExport } from "../core/journal/export-parser.js";
import type { FieldMap } from "../core/journal/export-entry.js";
import { generateEntries, type GenerateOptions } from "./generator.js";
import { listJournalFiles, writeDemoJournal } from "./journal-files.js";

const GEN: GenerateOptions = { count: 3000, seed: 42, endUs: 1_700_000_000_000_000, spanUs: 3600e6 };
/** What the journal assigns on write, and so differs between two writes of the same entries. */
const ASSIGNED = ["__CURSOR", "__SEQNUM", "__SEQNUM_ID"];

function readBack(dir: string): FieldMap[] {
  const r = spawnSync("journalctl", ["--directory", dir, "-o", "export"], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr.toString());
  return parseExport(r.stdout).map((e) => {
    const m: FieldMap = { ...e.toFieldMap() };
    for (const f of ASSIGNED) delete m[f];
    return m;
  });
}

function generated(o: GenerateOptions): FieldMap[] {
  return [...generateEntries(o)].map((fields) => Object.fromEntries(fields) as FieldMap);
}

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "logharbor-demo-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test("journalctl reads back every generated entry with all its fields, one journal file per host", withDir(async (dir) => {
  const r = await writeDemoJournal(join(dir, "j"), GEN);
  assert.equal(r.entries, GEN.count);
  assert.deepEqual(Object.keys(r.perOutput), ["node-1", "node-2", "node-3"]);
  assert.deepEqual(r.files.map((f) => f.slice(r.dir.length + 1)), ["node-1.journal", "node-2.journal", "node-3.journal"]);
  const back = readBack(r.dir);
  assert.equal(back.length, GEN.count);
  const byRealtime = (a: FieldMap, b: FieldMap): number => Number(a["__REALTIME_TIMESTAMP"]) - Number(b["__REALTIME_TIMESTAMP"]);
  assert.deepEqual(back.sort(byRealtime), generated(GEN).sort(byRealtime));
  for (const [host, n] of Object.entries(r.perOutput)) {
    assert.equal(back.filter((m) => m["_HOSTNAME"] === host).length, n);
  }
}));

test("the same seed writes the same entries, another seed others", withDir(async (dir) => {
  const a = await writeDemoJournal(join(dir, "a"), GEN);
  const b = await writeDemoJournal(join(dir, "b"), GEN);
  const c = await writeDemoJournal(join(dir, "c"), { ...GEN, seed: 43 });
  assert.deepEqual(readBack(a.dir), readBack(b.dir));
  assert.notDeepEqual(readBack(a.dir), readBack(c.dir));
}));

test("the single layout writes the whole cluster into one journal, replacing journal files already there", withDir(async (dir) => {
  writeFileSync(join(dir, "old.journal"), "not a journal");
  writeFileSync(join(dir, "notes.txt"), "kept");
  const r = await writeDemoJournal(dir, { ...GEN, layout: "single", name: "cluster" });
  assert.deepEqual(r.perOutput, { cluster: GEN.count });
  assert.deepEqual(listJournalFiles(dir), [join(dir, "cluster.journal")]);
  const back = readBack(dir);
  assert.equal(back.length, GEN.count);
  assert.equal(new Set(back.map((m) => m["_HOSTNAME"])).size, 3);
}));

test("a failing systemd-journal-remote is reported with the file it was writing", withDir(async (dir) => {
  await assert.rejects(
    writeDemoJournal(dir, { ...GEN, journalRemote: "/bin/false" }),
    (e: Error) => /systemd-journal-remote writing .*node-\d\.journal failed \(exit status 1/.test(e.message),
  );
}));
