// The files source against journalctl on files made by the real systemd-journal-remote: the same
// entries, in the same order, with the same bytes and cursors (the export of the whole journal is
// compared byte for byte, __CURSOR included), for every kind of file systemd 252 writes — compact
// or regular, keyed hash or not, ZSTD-compressed large fields — and for LZ4 and XZ payloads (files
// rewritten from uncompressed ones and checked by journalctl decompressing them back); several
// files and boots interleaved; binary fields, invalid UTF-8 and journalctl's printable edge cases;
// a 2 MiB message; resuming after cursors, starting at a time, and pushed-down matches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { ExportField } from "../../../core/journal/export-encoder.js";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { parseExport } from "../../../core/journal/export-parser.js";
import { silentLogger } from "../../logger.js";
import { journalctlMatchArgs, type JournalMatches } from "../matches.js";
import type { StartPosition } from "../source.js";
import { FilesSource } from "./source.js";
import { writeJournal, type JournalWriteOptions } from "../../../../test/harness/journal.js";
import { recompressJournal } from "../../../../test/harness/journal-recompress.js";
import { realisticEntry } from "../../../../test/harness/journal-entries.js";
import { tempDir } from "../../../../test/harness/paths.js";

const BOOT_A = "a1".repeat(16);
const BOOT_B = "b2".repeat(16);

/** Values journalctl prints as text, or not, at the edges of its rule (printable.ts). */
const EDGE_VALUES: Buffer[] = [
  Buffer.from("tab\there"),
  Buffer.from("new\nline"),
  Buffer.from([0x64, 0x65, 0x6c, 0x7f]),
  Buffer.from("C1 \u0085 control"),
  Buffer.from("nonchar \uFFFE"),
  Buffer.from("nonchar \uFDD0"),
  Buffer.from("emoji \u{1F600} and é"),
  Buffer.from([0xc0, 0xaf]), // overlong "/"
  Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), // 5-byte form
  Buffer.from([0xc3, 0xc3]),
  Buffer.from([0xc3]),
  Buffer.from([0x00, 0x0a, 0xff, 0xfe, 0x41]),
  Buffer.from(""),
];

function entry(i: number, boot: string, extra: ExportField[] = []): ExportField[] {
  // Monotonic time starts again with each boot, as on a real host.
  const base = realisticEntry(i, extra, boot);
  const bootStart = boot === BOOT_A ? 0 : 500;
  return base.map(([k, v]): ExportField => (k === "__MONOTONIC_TIMESTAMP" ? [k, String(1_000_000 + (i - bootStart) * 1000)] : [k, v]));
}

function richEntries(from: number, count: number, step = 1): ExportField[][] {
  const out: ExportField[][] = [];
  for (let i = from; out.length < count; i += step) {
    const extra: ExportField[] = [];
    if (i % 7 === 0) extra.push(["LARGE", `large field ${i} `.repeat(80)]); // > 512 bytes: compressed
    if (i % 11 === 0) extra.push(["EDGE", EDGE_VALUES[i % EDGE_VALUES.length]!], ["EDGE2", EDGE_VALUES[(i + 5) % EDGE_VALUES.length]!]);
    if (i % 13 === 0) extra.push(["BINARY_PAYLOAD", Buffer.from([0, 1, 2, 10, 0xff, i & 0xff])], ["INVALID_UTF8", Buffer.from([0xc3, 0x28, 0x41])]);
    if (i % 17 === 0) extra.push(["REPEATED", "one"], ["REPEATED", "two"]);
    out.push(entry(i, i < 500 ? BOOT_A : BOOT_B, extra));
  }
  return out;
}

function journalctl(dir: string, args: string[] = []): Buffer {
  const r = spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager", ...args], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

async function readAll(dir: string, start: StartPosition = { kind: "oldest" }, matches?: JournalMatches): Promise<ExportEntry[]> {
  const src = new FilesSource({ dirs: [dir], start, follow: false, log: silentLogger(), ...(matches ? { matches } : {}) });
  const out: ExportEntry[] = [];
  for await (const chunk of src.read()) out.push(...chunk);
  return out;
}

const bytesOf = (es: ExportEntry[]) => Buffer.concat(es.map((e) => e.raw));

function firstDifference(a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `first difference at byte ${i} of ${a.length}/${b.length}: ours ${JSON.stringify(a.toString("latin1", Math.max(0, i - 80), i + 40))} journalctl ${JSON.stringify(b.toString("latin1", Math.max(0, i - 80), i + 40))}`;
}

function assertSame(ours: Buffer, theirs: Buffer, what: string): void {
  assert.ok(ours.equals(theirs), `${what}: ${firstDifference(ours, theirs)}`);
}

/** Three files (two writers interleaved over two boots, and a copy of one: its entries are not repeated). */
function writeInterleaved(dir: string, opts: JournalWriteOptions): void {
  writeJournal(dir, richEntries(0, 600, 2), "even", opts);
  writeJournal(dir, richEntries(1, 600, 2), "odd", opts);
  copyFileSync(join(dir, "odd.journal"), join(dir, "odd-copy.journal~"));
}

const VARIANTS: { name: string; env: Record<string, string> }[] = [
  { name: "compact, keyed hash, ZSTD (systemd 252's default)", env: {} },
  { name: "regular (SYSTEMD_JOURNAL_COMPACT=0)", env: { SYSTEMD_JOURNAL_COMPACT: "0" } },
  { name: "not keyed (SYSTEMD_JOURNAL_KEYED_HASH=0)", env: { SYSTEMD_JOURNAL_KEYED_HASH: "0" } },
  { name: "regular and not keyed", env: { SYSTEMD_JOURNAL_COMPACT: "0", SYSTEMD_JOURNAL_KEYED_HASH: "0" } },
];

for (const v of VARIANTS) {
  test(`files: ${v.name}: every entry, field, byte and cursor as journalctl -o export gives them, several files and boots interleaved`, async () => {
    const t = tempDir("logharbor-files-parity-");
    try {
      const dir = join(t.path, "journal");
      writeInterleaved(dir, { env: v.env });
      const header = spawnSync("journalctl", [`--file=${join(dir, "even.journal")}`, "--header"], { encoding: "utf8" }).stdout;
      assert.match(header, v.env["SYSTEMD_JOURNAL_COMPACT"] === "0" ? /Incompatible flags:(?!.*COMPACT)/ : /Incompatible flags:.*COMPACT/);
      const theirs = journalctl(dir);
      const ours = await readAll(dir);
      assert.equal(ours.length, 1200, "every entry once (the copied file repeats none)");
      assertSame(bytesOf(ours), theirs, "the whole journal");

      // Resuming after cursors (as a checkpoint does), journalctl's cursors and ours being the same.
      const cursors = parseExport(theirs).map((e) => e.cursor!);
      for (const k of [0, 1, 299, 599, 600, 1001, 1199]) {
        assertSame(bytesOf(await readAll(dir, { kind: "after", cursor: cursors[k]! })), journalctl(dir, [`--after-cursor=${cursors[k]!}`]), `after cursor ${k}`);
      }
      // Starting at a time.
      const us = 1_700_000_000_000_000 + 777 * 1000 + 1;
      assertSame(bytesOf(await readAll(dir, { kind: "time", us })), journalctl(dir, [`--since=@${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, "0")}`]), "since a time");
      // Matches pushed down: an OR of groups, each an AND of fields, each an OR of values.
      const matches: JournalMatches = [{ _SYSTEMD_UNIT: ["nginx.service", "cron.service"], PRIORITY: ["3", "4"] }, { SYSLOG_IDENTIFIER: ["sshd"], _BOOT_ID: [BOOT_B] }];
      assertSame(bytesOf(await readAll(dir, { kind: "oldest" }, matches)), journalctl(dir, journalctlMatchArgs(matches)), "with matches");
    } finally {
      t.dispose();
    }
  });
}

test("files: a 2 MiB message (ZSTD-compressed) and a 2 MiB binary field, byte for byte", async () => {
  const t = tempDir("logharbor-files-parity-");
  try {
    const dir = join(t.path, "journal");
    const big = Buffer.from(Array.from({ length: 2 * 1024 * 1024 + 17 }, (_, i) => 97 + ((i * 7) % 26)));
    const bin = Buffer.from(Array.from({ length: 2 * 1024 * 1024 }, (_, i) => (i * 31) & 0xff));
    writeJournal(dir, [entry(0, BOOT_A), entry(1, BOOT_A, [["MESSAGE_BIG", big]]), entry(2, BOOT_A, [["BLOB", bin]]), entry(3, BOOT_A)]);
    const ours = await readAll(dir);
    assertSame(bytesOf(ours), journalctl(dir), "the journal");
    assert.ok(ours[1]!.getBytes("MESSAGE_BIG")!.equals(big));
    assert.ok(ours[2]!.getBytes("BLOB")!.equals(bin));
  } finally {
    t.dispose();
  }
});

for (const kind of ["lz4", "xz"] as const) {
  test(`files: ${kind.toUpperCase()}-compressed payloads (DATA objects of a real file rewritten, checked by journalctl decompressing them back)`, async () => {
    const t = tempDir("logharbor-files-parity-");
    try {
      const dir = join(t.path, "journal");
      writeJournal(dir, richEntries(0, 300), "plain", { compress: false });
      const before = journalctl(dir);
      const rewritten = recompressJournal(join(dir, "plain.journal"), kind);
      assert.ok(rewritten >= 40, `${rewritten} DATA objects rewritten`);
      const header = spawnSync("journalctl", [`--file=${join(dir, "plain.journal")}`, "--header"], { encoding: "utf8" }).stdout;
      assert.match(header, kind === "lz4" ? /COMPRESSED-LZ4/ : /COMPRESSED-XZ/);
      assertSame(journalctl(dir), before, "journalctl reads the rewritten file as the original");
      assertSame(bytesOf(await readAll(dir)), before, "the files source reads it the same");
    } finally {
      t.dispose();
    }
  });
}
