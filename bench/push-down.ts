// Filter push-down: the same filter ({ units: { include: [nginx] } }, one entry in five) shipped
// through the in-process pipeline from a real journal, read by real journalctl and by real gatewayd,
// once with the filter pushed down to the reader as journal matches and once with every entry read
// and filtered by the agent alone. Both runs deliver the same entries (checked); prints entries/s of
// journal covered and the ratio, alternating, best of N. Not a test; not timed in CI.
//   node --import tsx bench/push-down.ts [--entries 100000] [--rounds 3]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeadLetter } from "../src/agent/buffer/dead-letter.js";
import { DiskBuffer } from "../src/agent/buffer/disk-buffer.js";
import { Lane } from "../src/agent/buffer/lane.js";
import { silentLogger } from "../src/agent/logger.js";
import { ShipMetrics } from "../src/agent/metrics.js";
import { Pipeline, type BatchSink } from "../src/agent/pipeline.js";
import { GatewaydSource } from "../src/agent/sources/gatewayd/source.js";
import { JournalctlSource } from "../src/agent/sources/journalctl/source.js";
import { describeMatches, type JournalMatches } from "../src/agent/sources/matches.js";
import type { Source } from "../src/agent/sources/source.js";
import type { TransformConfig } from "../src/agent/transforms/config.js";
import { createChain } from "../src/agent/transforms/create.js";
import { pushDownMatches } from "../src/agent/transforms/filter/push-down.js";
import { startGatewayd, writeJournal } from "../test/harness/journal.js";
import { realisticEntries } from "../test/harness/journal-entries.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? def : Number(process.argv[i + 1]);
}
const N = arg("--entries", 100_000);
const ROUNDS = arg("--rounds", 3);
const CHAIN: TransformConfig[] = [{ verb: "filter", spec: { units: { include: ["nginx"] } } }];
const MATCHES = pushDownMatches(CHAIN)!;

const work = mkdtempSync(join(tmpdir(), "lh-bench-push-down-"));
const dir = join(work, "journal");
process.stderr.write(`bench: writing ${N} entries with systemd-journal-remote...\n`);
for (let i = 0; i < N; i += 50_000) writeJournal(dir, realisticEntries(i, Math.min(50_000, N - i)));
const gw = await startGatewayd(dir);

async function ship(kind: "journalctl" | "gatewayd", matches: JournalMatches | undefined): Promise<[seconds: number, shipped: number]> {
  const state = mkdtempSync(join(work, "state-"));
  try {
    const opts = { start: { kind: "oldest" as const }, follow: false, log: silentLogger(), ...(matches ? { matches } : {}) };
    const source: Source = kind === "journalctl" ? new JournalctlSource({ directory: dir }, opts) : new GatewaydSource({ socketPath: gw.socket }, opts);
    const metrics = new ShipMetrics();
    const ack: BatchSink = { display: "ack", send: async (_b, n) => ({ accepted: n, duplicates: 0 }), close: () => {} };
    const buffer = await DiskBuffer.open({ dir: join(state, "buffer"), maxBytes: 4 * 1024 ** 3 });
    const lane = new Lane({ name: "0-bench", sink: ack, buffer, deadLetter: new DeadLetter(join(state, "dead")), log: silentLogger(), metrics, maxInFlight: 3, whenFull: "block" });
    const p = new Pipeline({ source, lanes: [lane], checkpoint: { save: () => {}, flush: async () => {} }, log: silentLogger(), metrics, transforms: createChain(CHAIN) });
    const t0 = process.hrtime.bigint();
    const stats = await p.run();
    return [Number(process.hrtime.bigint() - t0) / 1e9, stats.entries];
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

try {
  const lines: string[] = [`filter ${JSON.stringify(CHAIN[0]!.spec)}; pushed down as: ${describeMatches(MATCHES)}; ${N} entries in the journal`];
  for (const kind of ["journalctl", "gatewayd"] as const) {
    let plain = Infinity;
    let pushed = Infinity;
    let counts: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const [a, na] = await ship(kind, undefined);
      const [b, nb] = await ship(kind, MATCHES);
      if (na !== nb) throw new Error(`${kind}: ${na} entries shipped without push-down, ${nb} with it`);
      plain = Math.min(plain, a);
      pushed = Math.min(pushed, b);
      counts = [na];
    }
    const rate = (s: number) => Math.round(N / s).toLocaleString("en");
    lines.push(
      `${kind}: agent filters alone ${plain.toFixed(2)} s (${rate(plain)} journal entries/s); pushed down ${pushed.toFixed(2)} s (${rate(pushed)} journal entries/s); ` +
        `${(plain / pushed).toFixed(2)}x faster; ${counts[0]} entries shipped either way`,
    );
  }
  process.stdout.write(lines.join("\n") + "\n");
} finally {
  await gw.stop();
  rmSync(work, { recursive: true, force: true });
}
