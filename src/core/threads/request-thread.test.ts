import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../errors.js";
import { RequestThread } from "./request-thread.js";
import { workerUrl } from "./worker-url.js";

const url = workerUrl(import.meta.url, "spin-worker");
const timeout = () => new LogharborError("LH_ERR_QUERY_TIMEOUT", "stuck", { status: 503 });

test("a request that overruns its deadline is answered with its timeout error; the thread is replaced and the requests queued behind it are answered", async () => {
  let died = 0;
  const t = new RequestThread(url, {}, () => died++);
  try {
    assert.equal(await t.request({ kind: "double", n: 2 }, [], { ms: 60_000, error: timeout }), 4);
    const stuck = t.request({ kind: "spin", n: 0 }, [], { ms: 200, error: timeout });
    const behind = [t.request({ kind: "double", n: 5 }), t.request({ kind: "double", n: 6 }, [], { ms: 60_000, error: timeout })];
    await assert.rejects(stuck, (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_TIMEOUT");
    assert.deepEqual(await Promise.all(behind), [10, 12]);
    assert.equal(t.replaced, 1);
    assert.equal(died, 0, "an overrun is not a death");
    assert.equal(await t.request({ kind: "double", n: 7 }), 14);
  } finally {
    await t.close(1000);
  }
});

test("close() with a grace stops a thread stuck in a request and fails what it held", async () => {
  const t = new RequestThread(url, {});
  const stuck = t.request({ kind: "spin", n: 0 });
  const closed = t.close(100, () => new LogharborError("LH_ERR_SERVER", "shutting down", { status: 503 }));
  await assert.rejects(stuck, (e: unknown) => e instanceof LogharborError && e.message === "shutting down");
  await closed;
});
