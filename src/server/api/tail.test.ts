import { test } from "node:test";
import assert from "node:assert/strict";
import { readSse, type SseItem } from "../../cli/sse.js";
import { startTestServer, type TestServer } from "../testing.js";

async function ingest(s: TestServer, token: string, entries: Array<Record<string, string>>): Promise<void> {
  const body = entries.map((e) => Object.entries(e).map(([k, v]) => `${k}=${v}\n`).join("") + "\n").join("");
  const r = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body,
  });
  assert.equal(r.status, 200, await r.text());
}

/** Opens a tail and waits until the server says the subscription is active. */
async function openTail(s: TestServer, params: string): Promise<{ items: AsyncGenerator<SseItem>; close(): void }> {
  const ac = new AbortController();
  const res = await fetch(`${s.url}/api/v1/tail?${params}`, { signal: ac.signal, headers: { accept: "text/event-stream" } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const items = readSse(res.body!);
  for (;;) {
    const { value } = await items.next();
    if (value?.kind === "comment" && value.text === "ready") break;
  }
  return { items, close: () => ac.abort() };
}

async function nextEvent(items: AsyncGenerator<SseItem>): Promise<{ id: string | undefined; json: Record<string, unknown> }> {
  for (;;) {
    const { value, done } = await items.next();
    assert.ok(!done, "stream ended");
    if (value.kind === "message" && value.event === "event") return { id: value.id, json: JSON.parse(value.data) as Record<string, unknown> };
  }
}

test("streams entries to a live-tail client as they are ingested, honouring the where filter and logs", async () => {
  const s = await startTestServer();
  try {
    const a = s.store.createLog("a");
    const b = s.store.createLog("b");
    const tail = await openTail(s, new URLSearchParams({ query: "where(status>=500 OR panic)", log: "a" }).toString());
    await ingest(s, a.token, [{ MESSAGE: "GET / status=200", _HOSTNAME: "h1" }]);
    await ingest(s, b.token, [{ MESSAGE: "kernel panic in log b" }]);
    await ingest(s, a.token, [{ MESSAGE: "GET /x status=502", _HOSTNAME: "h1", PRIORITY: "3" }, { MESSAGE: "kernel panic", _HOSTNAME: "h2" }]);
    const e1 = await nextEvent(tail.items);
    assert.equal(e1.json["message"], "GET /x status=502", "the first entry delivered is the first that matches");
    assert.deepEqual(e1.json["parsed"], { status: 502 });
    assert.equal(e1.json["priority"], 3);
    assert.equal(e1.json["log"], "a");
    assert.equal(e1.id, String(e1.json["id"]));
    const e2 = await nextEvent(tail.items);
    assert.equal(e2.json["message"], "kernel panic");
    tail.close();
  } finally {
    await s.stop();
  }
});

test("follows every log with an empty query, and regex named groups filter too", async () => {
  const s = await startTestServer();
  try {
    const a = s.store.createLog("a");
    const all = await openTail(s, "");
    const slow = await openTail(s, new URLSearchParams({ query: "/took (?<ms>\\d+)ms/ ms > 100" }).toString());
    await ingest(s, a.token, [{ MESSAGE: "took 20ms" }, { MESSAGE: "took 250ms" }]);
    assert.equal((await nextEvent(all.items)).json["message"], "took 20ms");
    assert.equal((await nextEvent(all.items)).json["message"], "took 250ms");
    const e = await nextEvent(slow.items);
    assert.equal(e.json["message"], "took 250ms");
    assert.deepEqual(e.json["extracted"], { ms: "250" });
    all.close();
    slow.close();
  } finally {
    await s.stop();
  }
});

test("refuses a live tail with statistics and closes open tails when the server stops", async () => {
  const s = await startTestServer();
  const r = await fetch(`${s.url}/api/v1/tail?query=groupby(host)`);
  assert.equal(r.status, 400);
  assert.equal(((await r.json()) as { error: { code: string } }).error.code, "LH_ERR_QUERY_PARAM");
  const tail = await openTail(s, "");
  await s.stop(); // would hang if the open stream kept the server alive
  const rest = [];
  for await (const item of tail.items) rest.push(item);
  assert.deepEqual(rest.filter((i) => i.kind === "message"), []);
});

test("with max_rate, samples above the rate and says so every second, counting every matching event", async () => {
  const s = await startTestServer();
  try {
    const a = s.store.createLog("a");
    const tail = await openTail(s, "query=flood&max_rate=10");
    const ev = (i: number) => ({ ident: `f:${i}`, tsUs: 1_700_000_000_000_000 + i, host: "h", unit: "u", priority: 6, message: `flood ${i}`, fieldsJson: "{}" });
    let n = 0;
    const nextStats = async (counting: { events: number }) => {
      for (;;) {
        const { value, done } = await tail.items.next();
        assert.ok(!done, "stream ended");
        if (value.kind === "message" && value.event === "event") counting.events++;
        if (value.kind === "message" && value.event === "stats") return JSON.parse(value.data) as { rate: number; sampling: number };
      }
    };
    // A quiet second: everything would be sent.
    assert.deepEqual(await nextStats({ events: 0 }), { rate: 0, sampling: 1 });
    // Under the limit nothing is left out; over it, the next window samples.
    s.store.insert(a.id, Array.from({ length: 500 }, () => ev(n++)));
    const first = { events: 0 };
    const st = await nextStats(first);
    assert.equal(first.events, 500, "the first window sends every event");
    assert.ok(st.rate > 10 && st.sampling === Math.ceil(st.rate / 10), JSON.stringify(st));
    // Inserted right after the stats line, so handled within the window it announced.
    s.store.insert(a.id, Array.from({ length: 500 }, () => ev(n++)));
    const second = { events: 0 };
    await nextStats(second);
    assert.equal(second.events, Math.ceil(500 / st.sampling), `1 in ${st.sampling} of 500 sent`);
    tail.close();
    const bad = await fetch(`${s.url}/api/v1/tail?max_rate=0`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^max_rate: expected an integer from 1 to 1000000/);
  } finally {
    await s.stop();
  }
});
