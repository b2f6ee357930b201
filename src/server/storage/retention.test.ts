import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "../logger.js";
import { ServerMetrics } from "../metrics.js";
import { startTestServer } from "../testing.js";
import { Retention } from "./retention.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { NewEvent } from "./store.js";

const NOW_MS = Date.UTC(2024, 5, 1);
const DAY_US = 86_400e6;

function old(i: number, daysAgo: number): NewEvent {
  return { ident: `r:${daysAgo}:${i}`, tsUs: NOW_MS * 1000 - daysAgo * DAY_US + i, host: "h", unit: null, priority: null, message: `day ${daysAgo} event ${i}`, fieldsJson: "{}" };
}

function captured(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let text = "";
  const destination = new Writable({ write(c: Buffer, _e, done) { text += c.toString(); done(); } });
  return { logger: createLogger({ level: "info", destination }), text: () => text };
}

test("a retention pass deletes, in each log, what is older than its own retention or else the server's, in chunks, and says so", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-retention-"));
  const store = SqliteStore.open(dir);
  try {
    const web = store.createLog("web"); // the server's 30 days
    const audit = store.createLog("audit"); // its own: keep everything
    const debug = store.createLog("debug"); // its own: 2 days
    for (const log of [web, audit, debug]) {
      for (const days of [40, 31, 29, 1]) store.insert(log.id, Array.from({ length: 120 }, (_, i) => ({ ...old(i, days), ident: `${log.name}:${days}:${i}` })));
    }
    assert.equal(store.setRetention(audit.id, 0).retentionMs, 0);
    assert.equal(store.setRetention(debug.id, 2 * 86_400_000).retentionMs, 2 * 86_400_000);
    const metrics = new ServerMetrics();
    const out = captured();
    const r = new Retention({ store, retentionMs: 30 * 86_400_000, logger: out.logger, metrics, chunk: 50, now: () => NOW_MS });
    assert.equal(await r.pass(), 240 + 360);
    assert.deepEqual([store.count(web.id), store.count(audit.id), store.count(debug.id)], [240, 480, 120]);
    assert.equal(await r.pass(), 0, "nothing left to delete");
    assert.match(await metrics.registry.metrics(), /^logharbor_store_pruned_events_total 600$/m);
    const lines = out.text().trim().split("\n").map((l) => JSON.parse(l) as { msg: string; log?: string; deleted?: number; before?: string });
    assert.deepEqual(lines.map((l) => [l.msg, l.log, l.deleted, l.before]).sort(), [
      ["retention: deleted old events", "debug", 360, "2024-05-30T00:00:00.000000Z"],
      ["retention: deleted old events", "web", 240, "2024-05-02T00:00:00.000000Z"],
    ]);
    // Back to the server's retention: the audit log's old events go at the next pass.
    assert.equal(store.setRetention(audit.id, null).retentionMs, undefined);
    assert.equal(await r.pass(), 240);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failing pass is logged and retried later, never thrown", async () => {
  const out = captured();
  const r = new Retention({
    store: { listLogs: () => [{ id: "x", name: "x", token: "t", createdAt: 0 }], prune: () => Promise.reject(new Error("disk I/O error")) },
    retentionMs: 3_600_000, logger: out.logger, metrics: new ServerMetrics(),
  });
  assert.equal(await r.pass(), 0);
  assert.match(out.text(), /retention: could not delete old events; retrying at the next pass/);
  assert.match(out.text(), /disk I\/O error/);
});

test("serve --retention deletes what is older at start, through the writer thread, and queries see it gone", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-retention-server-"));
  const nowUs = Date.now() * 1000;
  const seed = SqliteStore.open(dir);
  const log = seed.createLog("web");
  seed.insert(log.id, [
    ...Array.from({ length: 30 }, (_, i) => ({ ...old(i, 0), ident: `o:${i}`, tsUs: nowUs - 3 * 3600e6 + i, message: `stale ${i}` })),
    ...Array.from({ length: 20 }, (_, i) => ({ ...old(i, 0), ident: `n:${i}`, tsUs: nowUs - 60e6 + i, message: `fresh ${i}` })),
  ]);
  await seed.close();
  const s = await startTestServer({ dataDir: dir, retentionMs: 3_600_000 });
  try {
    for (let i = 0; i < 200 && s.store.count() > 20; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(s.store.count(), 20);
    const r = await fetch(`${s.url}/api/v1/query?q=${encodeURIComponent("where(stale) calculate(count)")}&from=-1d`);
    assert.equal(((await r.json()) as { statistics: { value: number } }).statistics.value, 0);
    assert.match(s.logs(), /"deleted":30[,}].*retention: deleted old events/);
  } finally {
    await s.stop();
  }
});
