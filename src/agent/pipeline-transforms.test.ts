import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { FedSource } from "../../test/harness/fed-source.js";
import { tempDir } from "../../test/harness/paths.js";
import { encodeExportEntry } from "../core/journal/export-encoder.js";
import type { ExportEntry } from "../core/journal/export-entry.js";
import { parseExport } from "../core/journal/export-parser.js";
import { DeadLetter } from "./buffer/dead-letter.js";
import { DiskBuffer } from "./buffer/disk-buffer.js";
import { Lane } from "./buffer/lane.js";
import { silentLogger } from "./logger.js";
import { ShipMetrics } from "./metrics.js";
import { Pipeline, type Ack, type BatchSink } from "./pipeline.js";
import { createChain } from "./transforms/create.js";

/** Entries cN with a process id and a message each. */
function journal(lines: [pid: string, message: string, priority?: string][], from = 0): ExportEntry[] {
  return parseExport(Buffer.concat(lines.map(([pid, m, p], i) => encodeExportEntry([["__CURSOR", `c${from + i}`], ["_PID", pid], ["PRIORITY", p ?? "6"], ["MESSAGE", m]]))));
}

class AckingSink implements BatchSink {
  readonly display = "acking";
  messages: string[] = [];
  async send(body: Buffer, n: number): Promise<Ack> {
    for (const e of parseExport(body)) this.messages.push(e.get("MESSAGE")!);
    return { accepted: n, duplicates: 0 };
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

async function setup(config: Parameters<typeof createChain>[0]) {
  const t = tempDir();
  const source = new FedSource();
  const sink = new AckingSink();
  const checkpoint = new RecordingCheckpoint();
  const metrics = new ShipMetrics();
  const buffer = await DiskBuffer.open({ dir: join(t.path, "buffer"), maxBytes: 1 << 20 });
  const lane = new Lane({ name: "0-test", sink, buffer, deadLetter: new DeadLetter(join(t.path, "dead")), log: silentLogger(), metrics, maxInFlight: 2, whenFull: "block" });
  const transforms = createChain(config);
  const pipeline = new Pipeline({ source, lanes: [lane], checkpoint, log: silentLogger(), metrics, limits: { maxEntries: 3, maxBytes: 1 << 20 }, maxBatchMs: 60_000, checkpointIntervalMs: 60_000, stopDeadlineMs: 200, transforms });
  return { t, source, sink, checkpoint, pipeline, transforms };
}

test("pipeline: entries pass the transform chain before they are buffered: filtered ones are not sent, secrets are sent redacted", async () => {
  const s = await setup([{ verb: "filter", spec: { priority: "info" } }, { verb: "redact", spec: {} }]);
  const done = s.pipeline.run();
  s.source.feed(journal([["1", "GET / 200"], ["1", "cache hit", "7"], ["1", "login with Bearer abcdefgh12345678"], ["1", "done"]]));
  s.source.end();
  const stats = await done;
  assert.deepEqual(s.sink.messages, ["GET / 200", "login with Bearer [REDACTED:bearer_token]", "done"]);
  assert.equal(stats.read, 4);
  assert.equal(s.checkpoint.saved.at(-1), "c3");
  s.t.dispose();
});

test("pipeline: the checkpoint never moves past an entry multiline still holds, and the joined trace is sent whole", async () => {
  const s = await setup([{ verb: "multiline", spec: { timeout_ms: 60_000 } }]);
  const done = s.pipeline.run();
  // c0..c2 fill a batch (3 entries) while process 2's trace is still open at c1.
  s.source.feed(journal([
    ["1", "starting"],
    ["2", "java.lang.IllegalStateException: boom"],
    ["1", "listening"],
    ["1", "GET / 200"],
    ["1", "GET /a 200"],
    ["1", "GET /b 200"],
  ]));
  await new Promise((r) => setTimeout(r, 50));
  for (const c of s.checkpoint.saved) assert.equal(c, "c0", `saved ${c} while c1 is held`);
  s.source.feed(journal([["2", "\tat com.example.App.main(App.java:7)"], ["1", "GET /c 200"]], 6));
  s.source.end();
  await done;
  assert.deepEqual(s.sink.messages, [
    "starting",
    "java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:7)",
    "listening", "GET / 200", "GET /a 200", "GET /b 200", "GET /c 200",
  ]);
  assert.equal(s.checkpoint.saved.at(-1), "c7");
  s.t.dispose();
});

test("pipeline: when stopped, what multiline holds is not buffered and the checkpoint stays before it", async () => {
  const s = await setup([{ verb: "multiline", spec: { timeout_ms: 60_000 } }]);
  const done = s.pipeline.run();
  s.source.feed(journal([["1", "a"], ["2", "Error: x"], ["1", "b"], ["1", "c"]]));
  await new Promise((r) => setTimeout(r, 50));
  s.pipeline.stop();
  await done;
  assert.deepEqual(s.sink.messages, ["a"]);
  assert.ok(s.checkpoint.saved.every((c) => c === "c0"), `saved ${s.checkpoint.saved.join(", ")}`);
  s.t.dispose();
});
