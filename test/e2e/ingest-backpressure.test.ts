// The line protocols' bounded queue to the store's writer thread: a sender faster than the store is
// held back (TCP), datagrams beyond the bound are dropped and counted (UDP), webhooks answer after
// the commit or 503, and closing a listener commits every line it took. Real sockets and a real
// store; the store is made slower than any sender by a gate in front of its insertAsync that the
// test opens (the only way to make "the store is slow" a fact rather than a timing).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { setImmediate as turn } from "node:timers/promises";
import { pino } from "pino";
import { buildApp } from "../../src/server/app.js";
import { WriteQueue } from "../../src/server/ingest/common/write-queue.js";
import { startTokenListener } from "../../src/server/ingest/token-tcp/listener.js";
import { ServerMetrics } from "../../src/server/metrics.js";
import { SqliteStore } from "../../src/server/storage/sqlite/sqlite-store.js";
import type { EventBatch, InsertResult, StoredEvent } from "../../src/server/storage/store.js";
import { waitFor, waitForAsync } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";

/** What one socket read may add beyond the bound before the reader pauses (net reads 64 KiB). */
const READ_CHUNK = 64 * 1024;

interface Rig {
  store: SqliteStore;
  queue: WriteQueue;
  metrics: ServerMetrics;
  logId: string;
  token: string;
  /** Lets every insert held so far, and all later ones, through. */
  release(): void;
  dispose(): Promise<void>;
}

async function rig(maxQueuedBytes: number, maxQueuedLines?: number): Promise<Rig> {
  const dir = tempDir();
  const store = SqliteStore.open(dir.path);
  store.startWriterThread();
  const log = store.createLog("a");
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const gated = {
    newBatch: () => store.newBatch(),
    async insertBatch(logId: string, events: EventBatch): Promise<InsertResult> {
      await gate;
      return store.insertBatch(logId, events);
    },
  };
  const queue = new WriteQueue({ store: gated, maxQueuedBytes, ...(maxQueuedLines !== undefined ? { maxQueuedLines } : {}) });
  const metrics = new ServerMetrics();
  metrics.ingestQueue = queue;
  return {
    store, queue, metrics, logId: log.id, token: log.token, release,
    async dispose() {
      release();
      await store.close();
      dir.dispose();
    },
  };
}

async function counter(metrics: ServerMetrics, name: "ingestLines" | "ingestPauses", labels: Record<string, string>): Promise<number> {
  const m = await metrics[name].get();
  return m.values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k as keyof typeof v.labels] === x)).reduce((n, v) => n + v.value, 0);
}

function all(r: Rig): StoredEvent[] {
  return r.store.search({ logIds: [r.logId], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 1_000_000, order: "asc" }).events;
}

const silent = pino({ level: "silent" });
const PAD = "x".repeat(1000);

function startSender(port: number, token: string, c: number, lines: number): { sock: Socket; done: Promise<void> } {
  const sock = connect(port, "127.0.0.1");
  const done = (async () => {
    await new Promise((r) => sock.once("connect", r));
    for (let i = 0; i < lines; i += 100) {
      let chunk = "";
      for (let k = i; k < Math.min(lines, i + 100); k++) chunk += `${token} c${c} ${k} ${PAD}\n`;
      if (!sock.write(chunk)) await new Promise((r) => sock.once("drain", r));
    }
    await new Promise<void>((r) => sock.end(() => r()));
  })();
  done.catch(() => {});
  return { sock, done };
}

test("a token TCP sender faster than the store is held back at the queue bound; nothing is lost and each connection's order is kept", async () => {
  const bound = 256 * 1024;
  const r = await rig(bound);
  const l = await startTokenListener({ protocol: "token-tcp", address: { host: "127.0.0.1", port: 0 }, store: r.store, queue: r.queue, metrics: r.metrics, logger: silent });
  try {
    const LINES = 6000; // ~6 MB per connection, ~24x the bound
    const senders = [0, 1].map((c) => startSender(l.port, r.token, c, LINES));
    // The store takes nothing yet: both connections are read until the queue is full, then paused.
    await waitFor("the queue to fill", () => r.queue.full);
    await waitForAsync("both connections paused", async () => (await counter(r.metrics, "ingestPauses", { protocol: "token-tcp" })) >= 2);
    assert.ok(r.queue.queuedBytes >= bound, "the queue filled up");
    assert.ok(r.queue.queuedBytes <= bound + 2 * READ_CHUNK, `the server read no more than the bound plus one read per connection (${r.queue.queuedBytes} bytes)`);
    assert.ok(r.queue.queuedLines < 2 * LINES / 10, `most lines are still with the senders (server took ${r.queue.queuedLines} of ${2 * LINES})`);
    assert.ok(r.queue.inFlight <= r.queue.maxBatchesInFlight, "the writer holds no more batches than its bound");
    assert.equal(r.store.count(), 0);

    r.release();
    await Promise.all(senders.map((s) => s.done));
    await waitFor("every line stored", () => r.store.count() >= 2 * LINES);
    assert.equal(r.store.count(), 2 * LINES);
    const events = all(r);
    for (const c of [0, 1]) {
      const seq = events.map((e) => e.message.split(" ")).filter((w) => w[0] === `c${c}`).map((w) => Number(w[1]));
      assert.deepEqual(seq, Array.from({ length: LINES }, (_, i) => i), `connection ${c}: every line, in order`);
    }
    assert.ok(r.queue.peakQueuedBytes <= bound + 2 * READ_CHUNK, `the queue never held more than the bound plus one read per connection (peak ${r.queue.peakQueuedBytes})`);
    assert.equal(r.queue.queuedBytes, 0);
    assert.equal(await counter(r.metrics, "ingestLines", { result: "accepted" }), 2 * LINES);
  } finally {
    await l.close();
    await r.dispose();
  }
});

test("small lines are held back by the queue's bound on lines, whatever their bytes", async () => {
  const r = await rig(16 * 1024 * 1024, 1000);
  const l = await startTokenListener({ protocol: "token-tcp", address: { host: "127.0.0.1", port: 0 }, store: r.store, queue: r.queue, metrics: r.metrics, logger: silent });
  const sock = connect(l.port, "127.0.0.1");
  try {
    const LINES = 30_000;
    const line = (i: number) => `${r.token} ${i}\n`; // ~44 bytes: a 64 KiB read holds ~1,500 lines
    const sent = (async () => {
      await new Promise((ok) => sock.once("connect", ok));
      for (let i = 0; i < LINES; i += 1000) {
        let chunk = "";
        for (let k = i; k < i + 1000; k++) chunk += line(k);
        if (!sock.write(chunk)) await new Promise((ok) => sock.once("drain", ok));
      }
      await new Promise<void>((ok) => sock.end(() => ok()));
    })();
    await waitForAsync("the connection paused", async () => (await counter(r.metrics, "ingestPauses", { protocol: "token-tcp" })) >= 1);
    assert.ok(r.queue.queuedLines >= 1000);
    assert.ok(r.queue.queuedLines <= 1000 + READ_CHUNK / 40, `no more than the bound plus one read (${r.queue.queuedLines} lines)`);
    assert.ok(r.queue.queuedBytes < r.queue.maxQueuedBytes / 100, "far below the bytes bound");
    r.release();
    await sent;
    await waitFor("every line stored", () => r.store.count() >= LINES);
    assert.deepEqual(all(r).map((e) => Number(e.message)), Array.from({ length: LINES }, (_, i) => i));
  } finally {
    sock.destroy();
    await l.close();
    await r.dispose();
  }
});

test("token UDP beyond the queue bound: datagrams are dropped and counted (dropped, queue_full), the rest stored", async () => {
  const bound = 64 * 1024;
  const r = await rig(bound);
  const l = await startTokenListener({ protocol: "token-udp", address: { host: "127.0.0.1", port: 0 }, store: r.store, queue: r.queue, metrics: r.metrics, logger: silent });
  const u = createSocket("udp4");
  try {
    const DATAGRAMS = 100;
    const PER = 10; // lines per datagram, ~1 KB each: 1,000 lines, ~1 MB, 16x the bound
    for (let d = 0; d < DATAGRAMS; d++) {
      let text = "";
      for (let k = 0; k < PER; k++) text += `${r.token} d${d} ${k} ${PAD}\n`;
      await new Promise<void>((ok) => u.send(text, l.port, "127.0.0.1", () => ok()));
      if (d % 5 === 4) await turn(); // let the listener read: the kernel's own buffer must not overflow
    }
    const sent = DATAGRAMS * PER;
    const dropped = () => counter(r.metrics, "ingestLines", { protocol: "token-udp", result: "dropped", reason: "queue_full" });
    await waitForAsync("every datagram taken or dropped", async () => r.queue.queuedLines + (await dropped()) === sent);
    const taken = r.queue.queuedLines;
    assert.ok((await dropped()) > 0, "some datagrams were dropped");
    assert.ok(r.queue.peakQueuedBytes <= bound + 12 * 1024, `never more than the bound plus one datagram queued (peak ${r.queue.peakQueuedBytes})`);
    r.release();
    await waitFor("the lines taken are stored", () => r.store.count() >= taken);
    assert.equal(r.store.count(), taken);
    assert.equal(r.store.count() + (await dropped()), sent, "every line is stored or counted as dropped");
  } finally {
    u.close();
    await l.close();
    await r.dispose();
  }
});

test("webhooks answer 204 only after the commit, and 503 with Retry-After while the queue is full", async () => {
  const r = await rig(64 * 1024);
  const app = buildApp({ store: r.store, metrics: r.metrics, logger: silent, requireApiKey: false, ingestQueue: r.queue });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    let firstDone = false;
    const first = fetch(`${url}/noformat/logs/${r.token}`, { method: "POST", body: "first" }).then((res) => ((firstDone = true), res));
    await waitFor("the first event is taken", () => r.queue.queuedLines === 1);
    assert.equal(firstDone, false, "no answer before the commit");
    assert.equal(r.store.count(), 0);
    const big = fetch(`${url}/v1/logs/${r.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ pad: "y".repeat(80 * 1024) }) });
    await waitFor("the queue is full", () => r.queue.full);
    const refused = await fetch(`${url}/noformat/logs/${r.token}`, { method: "POST", body: "refused" });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "LH_ERR_OVERLOADED");
    assert.equal(await counter(r.metrics, "ingestLines", { protocol: "webhook", result: "rejected", reason: "overloaded" }), 1);
    assert.equal(firstDone, false);

    r.release();
    assert.equal((await first).status, 204);
    assert.equal((await big).status, 204);
    assert.equal(r.store.count(), 2, "both committed when answered");
    assert.deepEqual(all(r).map((e) => e.message.slice(0, 5)), ["first", '{"pad']);
    assert.equal((await fetch(`${url}/noformat/logs/${r.token}`, { method: "POST", body: "after" })).status, 204);
  } finally {
    await app.close();
    await r.dispose();
  }
});

test("closing a token listener commits every line it took before it settles; a line cut short by the close is counted, not stored", async () => {
  const r = await rig(16 * 1024 * 1024);
  const l = await startTokenListener({ protocol: "token-tcp", address: { host: "127.0.0.1", port: 0 }, store: r.store, queue: r.queue, metrics: r.metrics, logger: silent });
  const sock = connect(l.port, "127.0.0.1");
  sock.on("error", () => {});
  try {
    await new Promise((ok) => sock.once("connect", ok));
    let text = "";
    for (let i = 0; i < 1000; i++) text += `${r.token} line ${i}\n`;
    sock.write(text + `${r.token} cut sho`);
    await waitFor("1,000 lines taken", () => r.queue.queuedLines === 1000);
    assert.equal(r.store.count(), 0, "none committed yet");
    let closed = false;
    const closing = l.close().then(() => (closed = true));
    await waitFor("the connection is closed", () => sock.destroyed || sock.readableEnded);
    assert.equal(closed, false, "close waits for the commit");
    r.release();
    await closing;
    assert.equal(r.store.count(), 1000);
    assert.deepEqual(all(r).map((e) => e.message), Array.from({ length: 1000 }, (_, i) => `line ${i}`));
    assert.equal(await counter(r.metrics, "ingestLines", { protocol: "token-tcp", result: "dropped", reason: "shutdown_partial_line" }), 1);
  } finally {
    sock.destroy();
    await l.close();
    await r.dispose();
  }
});
