import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as turn } from "node:timers/promises";
import { pino } from "pino";
import { ServerMetrics } from "../../metrics.js";
import { SqliteStore } from "../../storage/sqlite/sqlite-store.js";
import type { EventBatch, InsertResult } from "../../storage/store.js";
import { EventBatcher } from "./batcher.js";
import { lineEvent } from "./line-event.js";
import { WriteQueue } from "./write-queue.js";

/** A real store whose inserts wait for the test's go, recording each batch handed over. */
interface Gated {
  store: SqliteStore;
  /** Put this in front of the store: it records each batch and holds it until go(). */
  gated: { newBatch(): EventBatch; insertBatch(logId: string, events: EventBatch): Promise<InsertResult> };
  batches: Array<{ logId: string; n: number }>;
  go(): void;
}

async function withGatedStore(fn: (h: Gated) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lh-batcher-"));
  const store = SqliteStore.open(dir);
  let go!: () => void;
  const gate = new Promise<void>((r) => (go = r));
  const batches: Array<{ logId: string; n: number }> = [];
  const gated = {
    newBatch: () => store.newBatch(),
    async insertBatch(logId: string, events: EventBatch): Promise<InsertResult> {
      batches.push({ logId, n: events.count });
      await gate;
      return store.insertBatch(logId, events);
    },
  };
  try {
    await fn({ store, gated, batches, go });
  } finally {
    go();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ev = (m: string) => lineEvent({ message: m, host: null, transport: "test" });

test("group commit: lines taken while the writer is busy go together, one batch per log, in order, at most maxEvents a batch", async () => {
  await withGatedStore(async (h) => {
    const a = h.store.createLog("a");
    const b = h.store.createLog("b");
    const queue = new WriteQueue({ store: h.gated, maxBatchesInFlight: 2 });
    const batcher = new EventBatcher({ queue, metrics: new ServerMetrics(), logger: pino({ level: "silent" }), protocol: "test", maxEvents: 300 });
    // 1,000 lines to a and 10 to b, over many turns of the event loop, while the writer holds its 2 batches.
    for (let i = 0; i < 1000; i++) {
      batcher.add(a.id, ev(`a${i}`), 10);
      if (i < 10) batcher.add(b.id, ev(`b${i}`), 10);
      if (i % 50 === 49) await turn();
    }
    await turn();
    assert.equal(queue.inFlight, 2, "the writer holds its bound of batches");
    assert.equal(h.batches.length, 2);
    assert.equal(queue.queuedLines, 1010, "every line counts until it is committed");
    h.go();
    await batcher.drain();
    assert.equal(queue.queuedLines, 0);
    assert.equal(queue.queuedBytes, 0);
    // The first two went at once; the rest waited and went in batches of at most maxEvents.
    assert.ok(h.batches.length <= 2 + Math.ceil(1000 / 300) + 1, `few transactions: ${JSON.stringify(h.batches)}`);
    assert.ok(h.batches.every((x) => x.n <= 300));
    assert.equal(h.batches.filter((x) => x.logId === b.id).reduce((n, x) => n + x.n, 0), 10);
    const stored = h.store.search({ logIds: [a.id], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 2000, order: "asc" }).events;
    assert.deepEqual(stored.map((e) => e.message), Array.from({ length: 1000 }, (_, i) => `a${i}`));
    assert.equal(h.store.count(b.id), 10);
  });
});

test("addAndWait settles after the commit, and drain settles once everything taken is committed", async () => {
  await withGatedStore(async (h) => {
    const a = h.store.createLog("a");
    const queue = new WriteQueue({ store: h.gated });
    const batcher = new EventBatcher({ queue, metrics: new ServerMetrics(), logger: pino({ level: "silent" }), protocol: "test" });
    let committed = false;
    const waited = batcher.addAndWait(a.id, ev("one"), 3).then(() => (committed = h.store.count(a.id) >= 1));
    batcher.add(a.id, ev("two"), 3);
    let drained = false;
    const drain = batcher.drain().then(() => (drained = true));
    await turn();
    assert.equal(drained, false);
    assert.equal(h.store.count(a.id), 0);
    h.go();
    await Promise.all([waited, drain]);
    assert.equal(committed, true, "the waiter saw its event stored");
    assert.equal(h.store.count(a.id), 2);
  });
});
