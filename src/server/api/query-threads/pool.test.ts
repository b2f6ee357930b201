import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogharborError } from "../../../core/errors.js";
import { loadFixture, T0_US } from "../../query/execute/fixture.js";
import { SqliteStore } from "../../storage/sqlite/sqlite-store.js";
import { inProcessRunner } from "../query-runner.js";
import { QueryThreads } from "./pool.js";

async function withPool(fn: (pool: QueryThreads, store: SqliteStore) => Promise<void>, threads = 2): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lh-query-threads-"));
  const store = SqliteStore.open(dir);
  const pool = new QueryThreads(store.file, threads);
  try {
    await fn(pool, store);
  } finally {
    await pool.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const RANGE = { from: String(T0_US / 1000), to: String(T0_US / 1000 + 3_600_000) };

test("query threads answer what the store answers in-process: statistics, events, searches", async () => {
  await withPool(async (pool, store) => {
    const { web } = loadFixture(store);
    const local = inProcessRunner(store);
    for (const q of ["where(status>=500) calculate(count)", "groupby(host) calculate(average:ms) timeslice(2)", "where(/disk|took/)", "", "sort(desc) limit(3)"]) {
      const a = await pool.run({ q, ...RANGE }, 10_000);
      const b = await local.run({ q, ...RANGE }, 10_000);
      assert.deepEqual(a.result, b.result, q);
      assert.equal(a.canonical, b.canonical);
    }
    const search = { logIds: [web], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 3, order: "asc" as const };
    assert.deepEqual(await pool.search(search), store.search(search));
  });
});

test("a bad query's error crosses with its code, status and column", async () => {
  await withPool(async (pool, store) => {
    loadFixture(store);
    await assert.rejects(pool.run({ q: "groupby(host,)" }, 1000), (e: unknown) =>
      e instanceof LogharborError && e.code === "LH_ERR_QUERY_SYNTAX" && e.status === 400 && e.position === 14);
    await assert.rejects(pool.run({ q: "", log: "nope" }, 1000), (e: unknown) =>
      e instanceof LogharborError && e.code === "LH_ERR_LOG_NOT_FOUND" && e.status === 404);
  });
});

test("the main thread keeps running while a query reads on its thread", async () => {
  await withPool(async (pool, store) => {
    const log = store.createLog("big").id;
    for (let b = 0; b < 6; b++) {
      store.insert(log, Array.from({ length: 10_000 }, (_, i) => ({
        ident: `x:${b}:${i}`, tsUs: T0_US + (b * 10_000 + i) * 1000, host: "h", unit: "u", priority: 6,
        message: `line ${b * 10_000 + i} of the big log`, fieldsJson: "{}",
      })));
    }
    // A regular expression reads every row: tens of milliseconds at least. A timer due in 1 ms
    // fires before the answer only if the query does not run on this thread.
    let fired = false;
    const timer = setTimeout(() => (fired = true), 1);
    const r = await pool.run({ q: "where(/of the (big|small) log$/) calculate(count)", ...RANGE }, 60_000);
    clearTimeout(timer);
    assert.equal((r.result as { value: number }).value, 60_000);
    assert.equal(fired, true, "the timer fired while the query ran");
  });
});

test("a query thread that dies fails only its own requests and is replaced", async () => {
  await withPool(async (pool, store) => {
    loadFixture(store);
    await pool.run({ q: "calculate(count)", ...RANGE }, 1000); // the threads start with the first query
    const threads = (pool as unknown as { threads: Array<{ terminate(): Promise<number> }> }).threads;
    await threads[0]!.terminate();
    for (let i = 0; i < 4; i++) {
      const r = await pool.run({ q: "calculate(count)", ...RANGE }, 1000);
      assert.equal((r.result as { value: number }).value, 10);
    }
  }, 1);
});
