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

test("a retention pass deletes everything older than the retention, in chunks, counts it and says so once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-retention-"));
  const store = SqliteStore.open(dir);
  try {
    const log = store.createLog("r");
    for (const days of [40, 31, 29, 1]) store.insert(log.id, Array.from({ length: 120 }, (_, i) => old(i, days)));
    const metrics = new ServerMetrics();
    const out = captured();
    const r = new Retention({ store, retentionMs: 30 * 86_400_000, logger: out.logger, metrics, chunk: 50, now: () => NOW_MS });
    assert.equal(await r.pass(), 240);
    assert.equal(store.count(log.id), 240);
    assert.equal(await r.pass(), 0, "nothing left to delete");
    assert.match(await metrics.registry.metrics(), /^logharbor_store_pruned_events_total 240$/m);
    const lines = out.text().trim().split("\n").map((l) => JSON.parse(l) as { msg: string; deleted?: number; before?: string });
    assert.deepEqual(lines.map((l) => [l.msg, l.deleted, l.before]), [["retention: deleted old events", 240, "2024-05-02T00:00:00.000000Z"]]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failing pass is logged and retried later, never thrown", async () => {
  const out = captured();
  const r = new Retention({
    store: { prune: () => Promise.reject(new Error("disk I/O error")) }, retentionMs: 3_600_000, logger: out.logger, metrics: new ServerMetrics(),
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
