import { test } from "node:test";
import assert from "node:assert/strict";
import { Pipeline, type Ack, type BatchSink } from "./pipeline.js";
import type { Source } from "./sources/source.js";
import type { ExportEntry } from "../core/journal/export-entry.js";
import { parseExport } from "../core/journal/export-parser.js";
import { encodeExportEntry } from "../core/journal/export-encoder.js";
import { silentLogger } from "./logger.js";

function entries(from: number, n: number): ExportEntry[] {
  const parts = [];
  for (let i = from; i < from + n; i++) parts.push(encodeExportEntry([["__CURSOR", `c${i}`], ["MESSAGE", `m${i}`]]));
  return parseExport(Buffer.concat(parts));
}

/** A source fed by the test; counts how many chunks the pipeline pulled. */
class FedSource implements Source {
  readonly description = "test";
  pulls = 0;
  private queue: ExportEntry[][] = [];
  private wakeUp: (() => void) | undefined;
  private closed = false;
  private ended = false;
  get lastCursor() {
    return undefined;
  }
  feed(chunk: ExportEntry[]) {
    this.queue.push(chunk);
    this.wakeUp?.();
  }
  end() {
    this.ended = true;
    this.wakeUp?.();
  }
  close() {
    this.closed = true;
    this.wakeUp?.();
  }
  async *read() {
    for (;;) {
      while (this.queue.length === 0 && !this.closed && !this.ended) await new Promise<void>((r) => (this.wakeUp = r));
      if (this.closed || this.queue.length === 0) return;
      this.pulls++;
      yield this.queue.shift()!;
    }
  }
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

const tick = () => new Promise((r) => setImmediate(r));

test("moves the checkpoint only after acknowledgement, and strictly in order", async () => {
  const source = new FedSource();
  const sink = new HeldSink();
  const cp = new RecordingCheckpoint();
  const p = new Pipeline({ source, sink, checkpoint: cp, log: silentLogger(), limits: { maxEntries: 2, maxBytes: 1 << 20 }, maxInFlight: 3 });
  const done = p.run();
  source.feed(entries(0, 2));
  source.feed(entries(2, 2));
  source.feed(entries(4, 2));
  await sink.sends(3);
  sink.sent[1]!.ack();
  await tick();
  assert.deepEqual(cp.saved, [], "batch 2 acknowledged before batch 1: the checkpoint stays put");
  sink.sent[0]!.ack();
  await tick();
  assert.deepEqual(cp.saved, ["c3"], "batches 1 and 2 acknowledged: the checkpoint moves past both");
  source.end();
  sink.sent[2]!.ack({ accepted: 1, duplicates: 1 });
  const stats = await done;
  assert.deepEqual(cp.saved, ["c3", "c5"]);
  assert.deepEqual({ entries: stats.entries, batches: stats.batches, duplicates: stats.duplicates }, { entries: 6, batches: 3, duplicates: 1 });
});

test("sends a partial batch of a quiet source within the time bound", async () => {
  const source = new FedSource();
  const sink = new HeldSink();
  const p = new Pipeline({ source, sink, checkpoint: new RecordingCheckpoint(), log: silentLogger(), maxBatchMs: 20 });
  const done = p.run();
  source.feed(entries(0, 1));
  await sink.sends(1);
  assert.equal(sink.sent[0]!.entries, 1);
  assert.match(sink.sent[0]!.body, /MESSAGE=m0\n/);
  sink.sent[0]!.ack();
  p.stop();
  await done;
});

test("stops pulling from the source while the in-flight window is full", async () => {
  const source = new FedSource();
  const sink = new HeldSink();
  const p = new Pipeline({ source, sink, checkpoint: new RecordingCheckpoint(), log: silentLogger(), limits: { maxEntries: 1, maxBytes: 1 << 20 }, maxInFlight: 2 });
  const done = p.run();
  for (let i = 0; i < 10; i++) source.feed(entries(i, 1));
  await sink.sends(2);
  for (let i = 0; i < 5; i++) await tick();
  assert.equal(sink.sent.length, 2);
  assert.equal(source.pulls, 2, "nothing more read while two batches await acknowledgement");
  sink.sent[0]!.ack();
  await sink.sends(3);
  assert.equal(source.pulls, 3);
  for (const s of sink.sent) s.ack();
  p.stop();
  await done;
});

test("on stop, sends what was read and waits for its acknowledgement", async () => {
  const source = new FedSource();
  const sink = new HeldSink();
  const cp = new RecordingCheckpoint();
  const p = new Pipeline({ source, sink, checkpoint: cp, log: silentLogger(), maxBatchMs: 60_000 });
  const done = p.run();
  source.feed(entries(0, 3));
  while (source.pulls < 1) await tick();
  p.stop();
  await sink.sends(1);
  sink.sent[0]!.ack();
  const stats = await done;
  assert.equal(stats.entries, 3);
  assert.deepEqual(cp.saved, ["c2"]);
});

test("ends with the sink's error when a batch is refused for good, keeping earlier acknowledgements", async () => {
  const source = new FedSource();
  const sink = new HeldSink();
  const cp = new RecordingCheckpoint();
  const p = new Pipeline({ source, sink, checkpoint: cp, log: silentLogger(), limits: { maxEntries: 1, maxBytes: 1 << 20 } });
  const done = p.run();
  source.feed(entries(0, 1));
  source.feed(entries(1, 1));
  await sink.sends(2);
  sink.sent[0]!.ack();
  await tick();
  sink.sent[1]!.fail(new Error("refused"));
  await assert.rejects(done, /refused/);
  assert.deepEqual(cp.saved, ["c0"]);
});
