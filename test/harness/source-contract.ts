// The behaviours every journal source must show, run against real journal files: resuming after a
// cursor, following, surviving a disruption (gatewayd restarted, journalctl killed) with neither
// loss nor repetition, the start positions, and raw bytes passed through untouched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { ExportEntry } from "../../src/core/journal/export-entry.js";
import type { ExportField } from "../../src/core/journal/export-encoder.js";
import { parseExport } from "../../src/core/journal/export-parser.js";
import type { Source, StartPosition } from "../../src/agent/sources/source.js";
import { writeJournal } from "./journal.js";
import { realisticEntries, realisticEntry } from "./journal-entries.js";
import { tempDir } from "./paths.js";
import { captureLogger } from "./capture-logger.js";
import type { Logger } from "../../src/agent/logger.js";

export interface SourceFixture {
  make(start: StartPosition, follow: boolean, opts?: { bootId?: string; log?: Logger }): Source;
  /** Interrupts the source's connection or process while it is reading. */
  disrupt(): Promise<void>;
  /** Called after the test appended entries while disrupted. */
  recover(): Promise<void>;
  /** The export bytes of the whole journal as this kind of source's server writes them. */
  reference(): Promise<Buffer>;
  stop(): Promise<void>;
}

/** Builds a fixture reading the journal in dir (the journal exists before this is called). */
export type FixtureFactory = (dir: string) => Promise<SourceFixture>;

const FAST_BACKOFF = { initialMs: 20, maxMs: 200 };
export { FAST_BACKOFF };

/** Reads from the source until `until` holds, returning the SEQ numbers seen so far. */
async function take(
  it: AsyncGenerator<ExportEntry[]>,
  seqs: number[],
  until: (s: number[]) => boolean,
  what: string,
  pending?: Promise<IteratorResult<ExportEntry[]>>,
): Promise<number[]> {
  const deadline = Date.now() + 20_000;
  while (!until(seqs)) {
    const step = pending ?? it.next();
    pending = undefined;
    const next = await Promise.race([step, new Promise<"late">((r) => setTimeout(() => r("late"), Math.max(1, deadline - Date.now())).unref())]);
    if (next === "late") throw new Error(`waiting for ${what}: got ${seqs.length} entries, last ${seqs.slice(-3)}`);
    if (next.done) break;
    for (const e of next.value) seqs.push(Number(e.get("SEQ")));
  }
  return seqs;
}

async function all(source: Source): Promise<ExportEntry[]> {
  const out: ExportEntry[] = [];
  for await (const chunk of source.read()) out.push(...chunk);
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function cursorsOf(dir: string): string[] {
  const r = spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 });
  return parseExport(r.stdout).map((e) => e.cursor!);
}

export function sourceContract(name: string, factory: FixtureFactory): void {
  async function withJournal(entries: Iterable<ExportField[]>, fn: (fx: SourceFixture, dir: string) => Promise<void>) {
    const t = tempDir(`logharbor-${name}-`);
    const dir = `${t.path}/journal`;
    writeJournal(dir, entries);
    const fx = await factory(dir);
    try {
      await fn(fx, dir);
    } finally {
      await fx.stop();
      t.dispose();
    }
  }

  test(`${name}: resumes right after a cursor, with neither repeat nor skip`, async () => {
    await withJournal(realisticEntries(0, 100), async (fx, dir) => {
      const cursor = cursorsOf(dir)[41]!;
      const got = (await all(fx.make({ kind: "after", cursor }, false))).map((e) => Number(e.get("SEQ")));
      assert.deepEqual(got, range(42, 100));
    });
  });

  test(`${name}: resumes after the newest entry without repeating it, then follows`, async () => {
    await withJournal(realisticEntries(0, 20), async (fx, dir) => {
      const newest = cursorsOf(dir)[19]!;
      assert.deepEqual(await all(fx.make({ kind: "after", cursor: newest }, false)), [], "nothing after the newest entry");
      const source = fx.make({ kind: "after", cursor: newest }, true);
      const it = source.read();
      const first = it.next();
      writeJournal(dir, realisticEntries(20, 3));
      const seqs = await take(it, [], (s) => s.length >= 3, "the appended entries", first);
      assert.deepEqual(seqs, [20, 21, 22]);
      source.close();
    });
  });

  test(`${name}: resuming from a cursor of an earlier boot, follows into later boots without a gap`, async () => {
    const boots = ["a".repeat(32), "b".repeat(32), "c".repeat(32)];
    const entries = range(0, 20).map((i) => realisticEntry(i, [], boots[i < 10 ? 0 : 1]));
    await withJournal(entries, async (fx, dir) => {
      const cursor = cursorsOf(dir)[5]!;
      const source = fx.make({ kind: "after", cursor }, true);
      const it = source.read();
      const seqs = await take(it, [], (s) => s.length >= 14, "the rest of boot a and all of boot b");
      writeJournal(dir, range(20, 23).map((i) => realisticEntry(i, [], boots[2])));
      await take(it, seqs, (s) => s.length >= 17, "the entries of boot c");
      assert.deepEqual(seqs, range(6, 23));
      source.close();
    });
  });

  test(`${name}: close() while the start position is being found ends the reading (no journal left open)`, async () => {
    await withJournal(realisticEntries(0, 20), async (fx, dir) => {
      const newest = cursorsOf(dir)[19]!;
      const starts: StartPosition[] = [{ kind: "after", cursor: newest }, { kind: "now" }, { kind: "boot" }, { kind: "oldest" }];
      for (const start of starts) {
        const source = fx.make(start, true);
        const it = source.read();
        const first = it.next();
        source.close();
        const r = await Promise.race([first, new Promise<"open">((res) => setTimeout(() => res("open"), 20_000).unref())]);
        assert.notEqual(r, "open", `start ${start.kind}: still reading 20 s after close()`);
        assert.equal(r !== "open" && r.done, true, `start ${start.kind}: close() ends the reading`);
      }
    });
  });

  test(`${name}: follows entries appended to the journal`, async () => {
    await withJournal(realisticEntries(0, 50), async (fx, dir) => {
      const source = fx.make({ kind: "oldest" }, true);
      const it = source.read();
      const seqs = await take(it, [], (s) => s.length >= 50, "the first 50 entries");
      writeJournal(dir, realisticEntries(50, 30));
      await take(it, seqs, (s) => s.length >= 80, "the 30 appended entries");
      assert.deepEqual(seqs, range(0, 80));
      source.close();
      assert.equal((await it.next()).done, true, "close() ends the reading");
    });
  });

  test(`${name}: survives a disruption mid-stream without losing or repeating entries`, async () => {
    await withJournal(realisticEntries(0, 3000), async (fx, dir) => {
      const source = fx.make({ kind: "oldest" }, true);
      const it = source.read();
      const seqs = await take(it, [], (s) => s.length >= 100, "the first entries");
      await fx.disrupt();
      writeJournal(dir, realisticEntries(3000, 30));
      await fx.recover();
      await take(it, seqs, (s) => s.length >= 3030, "everything after the disruption");
      assert.deepEqual(seqs, range(0, 3030));
      source.close();
    });
  });

  test(`${name}: starts at the running boot, at a time, or at the newest entry`, async () => {
    const bootA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const bootB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const entries = [...range(0, 40).map((i) => realisticEntry(i, [], bootA)), ...range(40, 60).map((i) => realisticEntry(i, [], bootB))];
    await withJournal(entries, async (fx, dir) => {
      const seq = (es: ExportEntry[]) => es.map((e) => Number(e.get("SEQ")));
      assert.deepEqual(seq(await all(fx.make({ kind: "boot" }, false, { bootId: bootB }))), range(40, 60), "boot: the running boot's entries");
      assert.deepEqual(seq(await all(fx.make({ kind: "boot" }, false, { bootId: "c".repeat(32) }))), range(0, 60), "boot not in the journal: everything");
      const t25 = 1_700_000_000_000_000 + 25 * 1000;
      assert.deepEqual(seq(await all(fx.make({ kind: "time", us: t25 }, false))), range(25, 60), "time: entries at or after it");
      const cap = captureLogger();
      const source = fx.make({ kind: "now" }, true, { log: cap.log });
      const it = source.read();
      const first = it.next();
      // Once the source has resolved "now" to a cursor, entries appended are after it.
      await cap.waitFor("opening the journal");
      writeJournal(dir, realisticEntries(60, 5));
      const seqs = await take(it, [], (s) => s.length >= 5, "entries written after now", first);
      assert.deepEqual(seqs, range(60, 65));
      source.close();
    });
  });

  test(`${name}: passes a 2 MiB message and binary fields through byte for byte`, async () => {
    const big = Buffer.alloc(2 * 1024 * 1024 + 17, "m");
    const bin = Buffer.from([0x00, 0x0a, 0xff, 0xfe, 0x0a, 0x0a, 0x41, 0x7f, 0x01]);
    const entries: ExportField[][] = [
      realisticEntry(0),
      realisticEntry(1, [["BIG_MESSAGE", big]]),
      realisticEntry(2, [["BINARY_PAYLOAD", bin], ["INVALID_UTF8", Buffer.from([0xc3, 0x28, 0x41])]]),
      realisticEntry(3),
    ];
    await withJournal(entries, async (fx) => {
      const got = await all(fx.make({ kind: "oldest" }, false));
      assert.equal(got.length, 4);
      assert.ok(Buffer.concat(got.map((e) => e.raw)).equals(await fx.reference()), "raw bytes identical to what the journal server wrote");
      assert.ok(got[1]!.getBytes("BIG_MESSAGE")!.equals(big));
      assert.ok(got[2]!.getBytes("BINARY_PAYLOAD")!.equals(bin));
      assert.ok(got[2]!.getBytes("INVALID_UTF8")!.equals(Buffer.from([0xc3, 0x28, 0x41])));
    });
  });
}
