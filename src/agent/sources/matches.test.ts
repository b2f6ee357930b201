// Filters pushed down to the journal readers: real journalctl and real gatewayd apply the matches,
// resuming after a cursor keeps working (also after an entry the matches leave out), and what the
// agent's filter keeps is exactly what it keeps without push-down.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { ExportEntry } from "../../core/journal/export-entry.js";
import { parseExport } from "../../core/journal/export-parser.js";
import { startGatewayd, writeJournal } from "../../../test/harness/journal.js";
import { realisticEntry } from "../../../test/harness/journal-entries.js";
import { tempDir } from "../../../test/harness/paths.js";
import { FAST_BACKOFF } from "../../../test/harness/source-contract.js";
import { silentLogger } from "../logger.js";
import { FilterTransform } from "../transforms/filter/filter.js";
import type { FilterSpec } from "../transforms/filter/predicate.js";
import { pushDownMatches } from "../transforms/filter/push-down.js";
import { GatewaydSource } from "./gatewayd/source.js";
import { JournalctlSource } from "./journalctl/source.js";
import { entryMatches, singleGroup, type JournalMatches } from "./matches.js";
import type { Source, StartPosition } from "./source.js";

// 60 entries: units cycle nginx, sshd, docker, kubelet, cron; PRIORITY cycles 3, 4, 5, 6.
const N = 60;
const SPECS: [title: string, spec: FilterSpec][] = [
  ["units and a priority range (one group)", { units: { include: ["nginx", "sshd.service"] }, priority: "err..warning" }],
  ["field match groups ORed across different fields", { matches: [{ _SYSTEMD_UNIT: "nginx.service", PRIORITY: "3" }, { _SYSTEMD_UNIT: "cron.service" }] }],
  ["a pushable unit include with an exclusion and a message expression left to the agent", { units: { include: ["docker"], exclude: ["kubelet"] }, message: "status=(2|4)00" }],
];

type Kind = "journalctl" | "gatewayd";

async function withJournal(fn: (dir: string, make: (kind: Kind, start: StartPosition, follow: boolean, m: JournalMatches | undefined) => Source) => Promise<void>) {
  const t = tempDir("logharbor-push-down-");
  const dir = `${t.path}/journal`;
  writeJournal(dir, Array.from({ length: N }, (_, i) => realisticEntry(i)));
  const gw = await startGatewayd(dir);
  try {
    await fn(dir, (kind, start, follow, matches) => {
      const opts = { start, follow, log: silentLogger(), backoff: FAST_BACKOFF, ...(matches ? { matches } : {}) };
      return kind === "journalctl" ? new JournalctlSource({ directory: dir }, opts) : new GatewaydSource({ socketPath: gw.socket }, opts);
    });
  } finally {
    await gw.stop();
    t.dispose();
  }
}

async function all(source: Source): Promise<ExportEntry[]> {
  const out: ExportEntry[] = [];
  for await (const chunk of source.read()) out.push(...chunk);
  return out;
}

const seqs = (es: readonly ExportEntry[]) => es.map((e) => Number(e.get("SEQ")));
const kept = (spec: FilterSpec, es: readonly ExportEntry[]) => {
  const f = new FilterTransform(spec);
  const out: ExportEntry[] = [];
  for (const e of es) f.process(e, out);
  return out.map((e) => e.raw.toString("latin1"));
};

function journalEntries(dir: string): ExportEntry[] {
  return parseExport(spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 28 }).stdout);
}

for (const kind of ["journalctl", "gatewayd"] as const) {
  for (const [title, spec] of SPECS) {
    test(`push-down (${kind}): ${title}: the journal sends only matching entries and the filter keeps exactly what it keeps without push-down`, async () => {
      await withJournal(async (dir, make) => {
        const matches = pushDownMatches([{ verb: "filter", spec }, { verb: "redact", spec: {} }])!;
        assert.ok(matches !== undefined, "something is pushed down");
        const applied = kind === "gatewayd" ? [singleGroup(matches)!] : matches;
        const everything = journalEntries(dir);
        const got = await all(make(kind, { kind: "oldest" }, false, matches));
        assert.deepEqual(seqs(got), seqs(everything.filter((e) => entryMatches(applied, e))), "the journal applied the matches");
        assert.ok(got.length < N, `fewer entries read (${got.length} of ${N})`);
        assert.deepEqual(kept(spec, got), kept(spec, everything), "the same entries pass the filter, as the same bytes");
      });
    });
  }

  test(`push-down (${kind}): resuming after a cursor, matching or not, neither repeats nor skips an entry; following sends only new matching entries`, async () => {
    await withJournal(async (dir, make) => {
      const spec: FilterSpec = { units: { include: ["nginx"] } }; // SEQ 0, 5, 10, ...
      const matches = pushDownMatches([{ verb: "filter", spec }])!;
      const cursors = journalEntries(dir).map((e) => e.cursor!);
      const after = (i: number) => all(make(kind, { kind: "after", cursor: cursors[i]! }, false, matches));
      assert.deepEqual(seqs(await after(10)), [15, 20, 25, 30, 35, 40, 45, 50, 55], "after a matching entry");
      assert.deepEqual(seqs(await after(12)), [15, 20, 25, 30, 35, 40, 45, 50, 55], "after an entry the matches leave out (the journal alone would skip 15)");
      assert.deepEqual(seqs(await after(14)), [15, 20, 25, 30, 35, 40, 45, 50, 55], "right before a matching entry");
      assert.deepEqual(seqs(await after(N - 1)), [], "after the newest entry, which does not match");

      const source = make(kind, { kind: "after", cursor: cursors[N - 1]! }, true, matches);
      const it = source.read();
      const first = it.next();
      writeJournal(dir, Array.from({ length: 12 }, (_, i) => realisticEntry(N + i)));
      const got: number[] = [];
      let step = await first;
      const deadline = Date.now() + 20_000;
      while (!step.done) {
        got.push(...seqs(step.value));
        if (got.length >= 3 || Date.now() > deadline) break;
        step = await it.next();
      }
      source.close();
      assert.deepEqual(got, [60, 65, 70]);
    });
  });
}
