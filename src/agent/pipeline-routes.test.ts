// Per-destination routing in the pipeline: each destination's disk buffer and sink get only the
// entries routed to it; the checkpoint moves past a batch only once every destination it routed
// entries to holds them; a restart resumes without loss or duplicates in either destination.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FedSource } from "../../test/harness/fed-source.js";
import { realisticEntries } from "../../test/harness/journal-entries.js";
import { tempDir } from "../../test/harness/paths.js";
import { encodeExportEntry } from "../core/journal/export-encoder.js";
import type { ExportEntry } from "../core/journal/export-entry.js";
import { parseExport } from "../core/journal/export-parser.js";
import { DeadLetter } from "./buffer/dead-letter.js";
import { DiskBuffer } from "./buffer/disk-buffer.js";
import { Lane } from "./buffer/lane.js";
import { Checkpoint } from "./checkpoint.js";
import { silentLogger } from "./logger.js";
import { ShipMetrics } from "./metrics.js";
import { Pipeline, type Ack, type BatchSink } from "./pipeline.js";
import { FileSink } from "./sinks/file/sink.js";
import { createChain } from "./transforms/create.js";
import type { TransformConfig } from "./transforms/config.js";
import { routesFor } from "./transforms/route/route.js";

// 400 entries with cursors; PRIORITY cycles 3..6, units cycle nginx, sshd, docker, kubelet, cron.
const JOURNAL: ExportEntry[] = parseExport(Buffer.concat([...realisticEntries(0, 400)].map((f, i) => encodeExportEntry([["__CURSOR", `s=0123456789abcdef0123456789abcdef;i=${(i + 1).toString(16)};b=0123456789abcdef0123456789abcdef;m=${(i + 1).toString(16)};t=${(1_700_000_000_000_000 + i).toString(16)};x=${i.toString(16)}`], ...f]))));
const CHAIN: TransformConfig[] = [
  { verb: "redact", spec: {} },
  { verb: "route", spec: [{ sink: "file:///errors", filter: { priority: "emerg..err" } }, { sink: 1, filter: { units: { include: ["nginx"] } } }] },
];
const DESTINATIONS = ["file:///errors", "file:///web"];
const isError = (e: ExportEntry) => Number(e.get("PRIORITY")) <= 3;
const isWeb = (e: ExportEntry) => e.get("_SYSTEMD_UNIT") === "nginx.service";

/** A sink that passes batches on only while `up`; while down they wait (never acknowledged). */
class SwitchedSink implements BatchSink {
  readonly display: string;
  private isUp = true;
  private waiting: (() => void)[] = [];
  get up(): boolean {
    return this.isUp;
  }
  set up(v: boolean) {
    this.isUp = v;
    if (v) for (const w of this.waiting.splice(0)) w();
  }
  constructor(private readonly inner: BatchSink) {
    this.display = inner.display;
  }
  async send(body: Buffer, n: number): Promise<Ack> {
    while (!this.isUp) await new Promise<void>((r) => this.waiting.push(r));
    return this.inner.send(body, n);
  }
  close() {
    this.inner.close();
  }
}

async function start(state: string, sinks: BatchSink[], source: FedSource, bufferMaxBytes = 1 << 20) {
  const metrics = new ShipMetrics();
  const checkpoint = await Checkpoint.open(state);
  const lanes = await Promise.all(
    sinks.map(async (sink, i) => {
      const buffer = await DiskBuffer.open({ dir: join(state, "buffer", `${i}-file`), maxBytes: bufferMaxBytes, checkpoint: checkpoint.cursor });
      return new Lane({ name: `${i}-file`, sink, buffer, deadLetter: new DeadLetter(join(state, "dead", `${i}-file`)), log: silentLogger(), metrics, maxInFlight: 2, whenFull: "block" });
    }),
  );
  const pipeline = new Pipeline({
    source, lanes, checkpoint, log: silentLogger(), metrics, limits: { maxEntries: 50, maxBytes: 1 << 20 }, maxBatchMs: 60_000, stopDeadlineMs: 300,
    transforms: createChain(CHAIN), routes: routesFor(DESTINATIONS, CHAIN),
  });
  return { pipeline, checkpoint, lanes, done: pipeline.run() };
}

const seqsIn = (file: string) => readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => Number((JSON.parse(l) as { SEQ: string }).SEQ));
const seqsOf = (es: ExportEntry[]) => es.map((e) => Number(e.get("SEQ")));

test("routes: each destination gets exactly its entries, none gets the others' and entries routed nowhere are done; a restart with one destination's buffer still full loses and repeats nothing", async () => {
  const t = tempDir();
  const state = join(t.path, "state");
  const files = [join(t.path, "errors.ndjson"), join(t.path, "web.ndjson")];
  const file = (i: number) => new FileSink({ path: files[i]!, display: DESTINATIONS[i]!, maxBytes: 1 << 30, maxFiles: 1, log: silentLogger() });
  try {
    // Run 1: the web destination is down; the first 230 entries are read, then the agent stops.
    const web = new SwitchedSink(file(1));
    web.up = false;
    const source1 = new FedSource();
    const run1 = await start(state, [file(0), web], source1);
    for (let i = 0; i < 230; i += 10) source1.feed(JOURNAL.slice(i, i + 10));
    const index = (c: string | undefined) => (c === undefined ? -1 : JOURNAL.findIndex((e) => e.cursor === c));
    while (index(run1.checkpoint.cursor) < 189) await new Promise((r) => setTimeout(r, 5));
    run1.pipeline.stop();
    await run1.done;
    const saved = run1.checkpoint.cursor!;
    const at = JOURNAL.findIndex((e) => e.cursor === saved);
    assert.ok(at >= 189 && at < 230, `checkpoint at ${at}`);
    assert.ok(run1.lanes[1]!.buffer.bytes > 0, "the web entries wait in their destination's buffer");
    const early = seqsIn(files[0]!);
    assert.ok(early.length > 0);
    assert.deepEqual(early, seqsOf(JOURNAL.filter(isError)).slice(0, early.length), "only errors in the errors file");

    // Run 2: everything works; the journal is read again after the saved checkpoint, to its end.
    const source2 = new FedSource();
    const run2 = await start(state, [file(0), file(1)], source2);
    source2.feed(JOURNAL.slice(at + 1));
    source2.end();
    await run2.done;

    assert.deepEqual(seqsIn(files[0]!), seqsOf(JOURNAL.filter(isError)), "the errors destination: every error once, in order");
    assert.deepEqual(seqsIn(files[1]!), seqsOf(JOURNAL.filter(isWeb)), "the web destination: every nginx entry once, in order");
    assert.ok(JOURNAL.some((e) => !isError(e) && !isWeb(e)), "some entries are routed nowhere");
    assert.equal(run2.checkpoint.cursor, JOURNAL[399]!.cursor, "entries routed nowhere do not hold the checkpoint back");
    for (const l of run2.lanes) assert.equal(l.buffer.bytes, 0);
  } finally {
    t.dispose();
  }
});

test("routes: the checkpoint does not pass an entry whose destination cannot buffer it yet, even when the other destination has it", async () => {
  const t = tempDir();
  const state = join(t.path, "state");
  try {
    const errors = new SwitchedSink(new FileSink({ path: join(t.path, "errors.ndjson"), display: DESTINATIONS[0]!, maxBytes: 1 << 30, maxFiles: 1, log: silentLogger() }));
    const web = new SwitchedSink(new FileSink({ path: join(t.path, "web.ndjson"), display: DESTINATIONS[1]!, maxBytes: 1 << 30, maxFiles: 1, log: silentLogger() }));
    web.up = false;
    const source = new FedSource();
    // 16 KiB buffers: two of the web destination's records (10 entries of ~700 bytes each) fit.
    const run = await start(state, [errors, web], source, 16 * 1024);
    source.feed(JOURNAL);
    const webBuffer = run.lanes[1]!.buffer;
    while (webBuffer.hasRoom(8 * 1024)) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    const held = run.checkpoint.cursor;
    const heldAt = held === undefined ? -1 : JOURNAL.findIndex((e) => e.cursor === held);
    assert.ok(heldAt < 150, `the checkpoint waits (at ${heldAt})`);
    const errorsSoFar = seqsIn(join(t.path, "errors.ndjson"));
    assert.ok(Math.max(...errorsSoFar) > heldAt, `the errors destination has entries past the checkpoint (${Math.max(...errorsSoFar)} > ${heldAt})`);
    web.up = true;
    source.end();
    await run.done;
    assert.equal(run.checkpoint.cursor, JOURNAL[399]!.cursor);
    assert.deepEqual(seqsIn(join(t.path, "web.ndjson")), seqsOf(JOURNAL.filter(isWeb)));
  } finally {
    t.dispose();
  }
});
