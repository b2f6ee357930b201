// The cost of transforms: the same 200,000 realistic journal entries (as export bytes; 1 in 200
// with a bearer token, 1 in 1000 starting a 4-line Java trace) run bare and with filter +
// multiline + redact, in the same run, alternating, best of N, measured two ways:
//   1. the hot path alone: parse → [transforms] → batch → frame a disk-buffer record;
//   2. the whole agent pipeline in process: a source over the bytes → Pipeline (transforms,
//      batching, checkpointing) → a real disk buffer (fdatasync'd, in a temporary directory) → a
//      sink that acknowledges at once. Only the journal reader process and the network are left out.
// Prints entries/s and the ratios; exit 1 when the whole-pipeline ratio is under 70%. Issue 8's
// benchmark itself ("the same run as the walking skeleton") is step c1t of bench/run.ts, with the
// journal reader and the receiver in the run; this one, without them, is the stricter diagnostic.
// Not a test; not timed in CI.
//   node --import tsx bench/transforms.ts [--entries 200000] [--rounds 3]
import { encodeExportEntry, type ExportField } from "../src/core/journal/export-encoder.js";
import type { ExportEntry } from "../src/core/journal/export-entry.js";
import { ExportParser } from "../src/core/journal/export-parser.js";
import { Batcher, DEFAULT_BATCH_LIMITS } from "../src/agent/batcher.js";
import { DiskBuffer } from "../src/agent/buffer/disk-buffer.js";
import { createChain } from "../src/agent/transforms/create.js";
import type { TransformConfig } from "../src/agent/transforms/config.js";
import type { TransformChain } from "../src/agent/transforms/transform.js";
import { realisticEntry } from "../test/harness/journal-entries.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeadLetter } from "../src/agent/buffer/dead-letter.js";
import { Lane } from "../src/agent/buffer/lane.js";
import { silentLogger } from "../src/agent/logger.js";
import { ShipMetrics } from "../src/agent/metrics.js";
import { Pipeline, type BatchSink } from "../src/agent/pipeline.js";
import type { Source } from "../src/agent/sources/source.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? def : Number(process.argv[i + 1]);
}
const N = arg("--entries", 200_000);
const ROUNDS = arg("--rounds", 3);
const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1]!.split(",") : undefined;

const JAVA = [
  "java.lang.IllegalStateException: Order is already settled",
  "\tat com.example.payments.OrderService.settle(OrderService.java:142)",
  "\tat com.example.payments.OrderController.settle(OrderController.java:58)",
  "\tat java.base/java.lang.Thread.run(Thread.java:833)",
];

/** The dataset: realistic entries; 1 in 200 carries a secret, 1 in 1000 starts a 4-line Java trace in its stream. */
function dataset(n: number): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < n) {
    const f = withCursor(realisticEntry(i), i);
    if (i % 200 === 7) setMessage(f, `auth ok Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijk user=${i}`);
    if (i % 1000 === 11) {
      const pid = String(f.find(([k]) => k === "_PID")![1]);
      for (const line of JAVA) {
        if (i >= n) break;
        const g = withCursor(realisticEntry(i), i);
        i++;
        setField(g, "_PID", pid);
        setMessage(g, line);
        parts.push(encodeExportEntry(g));
      }
      continue;
    }
    parts.push(encodeExportEntry(f));
    i++;
  }
  return Buffer.concat(parts);
}
/** As journalctl and gatewayd export them, entries start with their cursor. */
function withCursor(f: ExportField[], i: number): ExportField[] {
  return [["__CURSOR", `s=a1b2c3d4e5f60718293a4b5c6d7e8f90;i=${i.toString(16)};b=0123456789abcdef0123456789abcdef;m=${(1_000_000 + i * 1000).toString(16)};t=${(1_700_000_000_000_000 + i * 1000).toString(16)};x=${(i * 2654435761 % 2 ** 32).toString(16)}`], ...f];
}
function setField(f: ExportField[], name: string, value: string): void {
  const k = f.findIndex(([n]) => n === name);
  f[k] = [name, value];
}
function setMessage(f: ExportField[], m: string): void {
  setField(f, "MESSAGE", m);
}

const ALL: TransformConfig[] = [
  { verb: "filter", spec: { units: { exclude: ["systemd-*"] }, priority: "debug" } },
  { verb: "multiline", spec: { timeout_ms: 1000 } },
  { verb: "redact", spec: {} },
];
const CONFIG = ALL.filter((c) => ONLY === undefined || ONLY.includes(c.verb));

/** One pass: returns [seconds, entries out, bytes framed]. */
function pass(data: Buffer, chain: TransformChain | undefined): [number, number, number] {
  const t0 = process.hrtime.bigint();
  const parser = new ExportParser();
  const batcher = new Batcher(DEFAULT_BATCH_LIMITS);
  let out = 0;
  let framed = 0;
  const flush = () => {
    const b = batcher.take();
    if (b !== undefined) framed += DiskBuffer.frame(b.entries, b.first.cursor ?? "", b.last.cursor ?? "", b.segments).size;
  };
  const add = (es: readonly ExportEntry[]) => {
    for (let i = 0; i < es.length; i++) {
      const e = es[i]!;
      if (batcher.wouldOverflow(e)) flush();
      if (batcher.add(e)) flush();
    }
    out += es.length;
  };
  const CHUNK = 64 * 1024; // what a source's read gives at a time
  for (let off = 0; off < data.length; off += CHUNK) {
    const entries = parser.push(data.subarray(off, off + CHUNK));
    add(chain === undefined ? entries : chain.apply(entries));
  }
  if (chain !== undefined) add(chain.flush(0, true));
  flush();
  return [Number(process.hrtime.bigint() - t0) / 1e9, out, framed];
}

const data = dataset(N);
process.stderr.write(`bench: ${N} entries, ${(data.length / 1048576).toFixed(1)} MiB of export data; ${ROUNDS} rounds\n`);
let bare = Infinity;
let shaped = Infinity;
let shapedOut = 0;
let counters: Record<string, number> = {};
for (let r = 0; r < ROUNDS + 1; r++) {
  const [tb] = pass(data, undefined);
  const chain = createChain(CONFIG);
  const [tt, n] = pass(data, chain);
  if (r === 0) continue; // warm-up
  bare = Math.min(bare, tb);
  shaped = Math.min(shaped, tt);
  shapedOut = n;
  counters = chain.counters();
}
const rate = (s: number) => Math.round(N / s);
const ratio = bare / shaped;
process.stdout.write(
  [
    `bare pipeline (parse → batch → frame):            ${rate(bare).toLocaleString("en")} entries/s`,
    `with ${CONFIG.map((c) => c.verb).join(" + ")}:`.padEnd(51) + `${rate(shaped).toLocaleString("en")} entries/s (${shapedOut} entries out)`,
    `ratio (transformed / bare):                        ${(ratio * 100).toFixed(1)}%  (target >= 70%)`,
    `transform counters: ${JSON.stringify(counters)}`,
  ].join("\n") + "\n",
);

// --- The whole agent pipeline, in process: a source over the same bytes → Pipeline → a disk buffer
// (fdatasync'd records in a temporary directory) → a sink that acknowledges at once. Only the
// journal reader process and the network are left out.
class BytesSource implements Source {
  readonly description = "bench";
  private last: ExportEntry | undefined;
  private closed = false;
  constructor(private readonly data: Buffer) {}
  get lastCursor(): string | undefined {
    return this.last?.cursor;
  }
  close(): void {
    this.closed = true;
  }
  async *read(): AsyncGenerator<ExportEntry[], void, undefined> {
    const parser = new ExportParser();
    const CHUNK = 64 * 1024;
    for (let off = 0; off < this.data.length && !this.closed; off += CHUNK) {
      const entries = parser.push(this.data.subarray(off, off + CHUNK));
      if (entries.length === 0) continue;
      this.last = entries[entries.length - 1];
      yield entries;
    }
  }
}

const ackAll: BatchSink = { display: "ack", send: async (_b: Buffer, n: number) => ({ accepted: n, duplicates: 0 }), close: () => {} };

async function pipelineRun(data: Buffer, chain: TransformChain | undefined): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "lh-bench-transforms-"));
  try {
    const metrics = new ShipMetrics();
    const buffer = await DiskBuffer.open({ dir: join(dir, "buffer"), maxBytes: 4 * 1024 * 1024 * 1024 });
    const lane = new Lane({ name: "0-bench", sink: ackAll, buffer, deadLetter: new DeadLetter(join(dir, "dead")), log: silentLogger(), metrics, maxInFlight: 3, whenFull: "block" });
    const pipeline = new Pipeline({
      source: new BytesSource(data), lanes: [lane], checkpoint: { save: () => {}, flush: async () => {} }, log: silentLogger(), metrics, transforms: chain,
    });
    const t0 = process.hrtime.bigint();
    await pipeline.run();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let pBare = Infinity;
let pShaped = Infinity;
for (let r = 0; r < Math.max(2, ROUNDS - 1); r++) {
  pBare = Math.min(pBare, await pipelineRun(data, undefined));
  pShaped = Math.min(pShaped, await pipelineRun(data, createChain(CONFIG)));
}
const pRatio = pBare / pShaped;
process.stdout.write(
  [
    `whole pipeline, bare (source → batch → disk buffer → ack): ${rate(pBare).toLocaleString("en")} entries/s`,
    `whole pipeline with ${CONFIG.map((c) => c.verb).join(" + ")}:`.padEnd(59) + `${rate(pShaped).toLocaleString("en")} entries/s`,
    `ratio (transformed / bare):`.padEnd(59) + `${(pRatio * 100).toFixed(1)}%  (target >= 70%)`,
  ].join("\n") + "\n",
);

process.exitCode = pRatio >= 0.7 ? 0 : 1;
