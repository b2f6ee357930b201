import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Pipeline, type Ack, type BatchSink } from "./pipeline.js";
import { DiskBuffer } from "./buffer/disk-buffer.js";
import { DeadLetter } from "./buffer/dead-letter.js";
import { Lane, type WhenFull } from "./buffer/lane.js";
import { ShipMetrics } from "./metrics.js";
import { SinkRefusal } from "./sinks/refusal.js";
import { FedSource } from "../../test/harness/fed-source.js";
import { tempDir } from "../../test/harness/paths.js";
import type { ExportEntry } from "../core/journal/export-entry.js";
import { parseExport } from "../core/journal/export-parser.js";
import { encodeExportEntry } from "../core/journal/export-encoder.js";
import { silentLogger } from "./logger.js";

function entries(from: number, n: number): ExportEntry[] {
  const parts = [];
  for (let i = from; i < from + n; i++) parts.push(encodeExportEntry([["__CURSOR", `c${i}`], ["MESSAGE", `m${i}`]]));
  return parseExport(Buffer.concat(parts));
}

/** A sink whose acknowledgements the test gives by hand. */
class HeldSink implements BatchSink {
  readonly display = "held";
  sent: { body: string; entries: number; ack: (a?: Ack) => void; fail: (e: unknown) => void }[] = [];
  private onSend: (() => void) | undefined;
  send(body: Buffer, n: number): Promise<Ack> {
    return new Promise((resolve, reject) => {
      this.sent.push({ body: body.toString(), entries: n, ack: (a) => resolve(a ?? { accepted: n, duplicates: 0 }), fail: reject });
      this.onSend?.();
    });
  }
  async sends(n: number): Promise<void> {
    while (this.sent.length < n) await new Promise<void>((r) => (this.onSend = r));
  }
  close() {}
}

class RecordingCheckpoint {
  saved: string[] = [];
  save(c: string) {
    this.saved.push(c);
  }
  async flush() {}
}

const tick = () => new Promise((r) => setTimeout(r, 5));

async function setup(opts: { maxBytes?: number; whenFull?: WhenFull; maxEntries?: number; maxBatchMs?: number } = {}) {
  const t = tempDir();
  const source = new FedSource();
  const sink = new HeldSink();
  const checkpoint = new RecordingCheckpoint();
  const metrics = new ShipMetrics();
  const buffer = await DiskBuffer.open({ dir: join(t.path, "buffer"), maxBytes: opts.maxBytes ?? 1 << 20 });
  const lane = new Lane({ name: "0-test", sink, buffer, deadLetter: new DeadLetter(join(t.path, "dead")), log: silentLogger(), metrics, maxInFlight: 2, whenFull: opts.whenFull ?? "block" });
  const pipeline = new Pipeline({ source, lanes: [lane], checkpoint, log: silentLogger(), metrics, limits: { maxEntries: opts.maxEntries ?? 10, maxBytes: 1 << 20 }, maxBatchMs: opts.maxBatchMs ?? 60_000, stopDeadlineMs: 200 });
  return { t, source, sink, checkpoint, buffer, lane, pipeline, metrics };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await tick();
}

test("moves the checkpoint once a batch is durably buffered, before the destination acknowledges it", async () => {
  const s = await setup();
  const done = s.pipeline.run();
  s.source.feed(entries(0, 25));
  await until(() => s.checkpoint.saved.length >= 2);
  assert.deepEqual(s.checkpoint.saved, ["c9", "c19"]);
  await s.sink.sends(2);
  assert.equal(s.sink.sent[0]!.entries, 10);
  assert.ok(s.buffer.bytes > 0, "nothing acknowledged: the records are still on disk");
  s.sink.sent[0]!.ack();
  s.sink.sent[1]!.ack();
  s.source.end();
  await s.sink.sends(3);
  s.sink.sent[2]!.ack();
  const stats = await done;
  assert.equal(stats.entries, 25);
  assert.equal(s.buffer.bytes, 0, "acknowledged records are deleted");
  assert.equal(s.checkpoint.saved.at(-1), "c24");
  s.t.dispose();
});

test("buffers a partial batch of a quiet source within the time bound", async () => {
  const s = await setup({ maxBatchMs: 20 });
  const done = s.pipeline.run();
  s.source.feed(entries(0, 3));
  await s.sink.sends(1);
  assert.equal(s.sink.sent[0]!.entries, 3);
  s.sink.sent[0]!.ack();
  s.source.end();
  await done;
  s.t.dispose();
});

test("stops pulling from the source while the disk buffer is full (when_full=block)", async () => {
  const s = await setup({ maxBytes: 64 * 1024, maxEntries: 1 });
  const big = entries(0, 1)[0]!;
  assert.ok(big.raw.length < 100);
  const done = s.pipeline.run();
  // ~40-byte entries, one per batch: about 64 KiB / 70 B records fit; feed far more.
  for (let i = 0; i < 3000; i++) s.source.feed(entries(i, 1));
  await until(() => !s.buffer.hasRoom(100));
  await tick();
  const pulled = s.source.pulls;
  assert.ok(pulled < 3000, `pulled ${pulled}`);
  await tick();
  assert.equal(s.source.pulls, pulled, "no more pulls while full");
  s.pipeline.stop();
  await done;
  s.t.dispose();
});

test("drops the newest batch when the buffer is full under when_full=drop_newest, counting it", async () => {
  const s = await setup({ maxBytes: 64 * 1024, maxEntries: 1, whenFull: "drop_newest" });
  const done = s.pipeline.run();
  for (let i = 0; i < 3000; i++) s.source.feed(entries(i, 1));
  await until(() => s.source.pulls === 3000 && s.pipeline.stats.dropped > 0);
  s.pipeline.stop();
  const stats = await done;
  assert.ok(stats.dropped > 0 && stats.dropped < 3000, `dropped ${stats.dropped}`);
  s.t.dispose();
});

test("dead-letters a batch refused for good and continues; stops on a destination-wide refusal", async () => {
  const s = await setup();
  const done = s.pipeline.run();
  s.source.feed(entries(0, 20));
  await s.sink.sends(2);
  s.sink.sent[0]!.fail(new SinkRefusal("batch", "400 bad batch", 400));
  s.sink.sent[1]!.ack();
  s.source.feed(entries(20, 10));
  await s.sink.sends(3);
  s.sink.sent[2]!.fail(new SinkRefusal("destination", "403 token", 403));
  await assert.rejects(done, (e: unknown) => e instanceof SinkRefusal && e.scope === "destination");
  assert.equal(s.pipeline.stats.deadLettered, 10);
  assert.equal(s.pipeline.stats.entries, 10);
  s.t.dispose();
});
