// The API additions for operators: resuming a live tail after the last event seen (Last-Event-ID),
// context around an entry, `log` as a query field, the notice for a field no entry has, and an
// inverted time range refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readSse, type SseItem } from "../../cli/sse.js";
import { call, startTestServer, type TestServer } from "../testing.js";
import type { EventContextJson } from "../../core/api-json.js";

async function ingest(s: TestServer, token: string, entries: Array<Record<string, string>>): Promise<void> {
  const body = entries.map((e) => Object.entries(e).map(([k, v]) => `${k}=${v}\n`).join("") + "\n").join("");
  const r = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body,
  });
  assert.equal(r.status, 200, await r.text());
}

/** Reads a tail until `ready`, collecting the events and the `resumed` message before it. */
async function openTail(s: TestServer, params: URLSearchParams, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const res = await fetch(`${s.url}/api/v1/tail?${params}`, { signal: ac.signal, headers: { accept: "text/event-stream", ...headers } });
  assert.equal(res.status, 200);
  const items = readSse(res.body!);
  const before: Array<{ id: string | undefined; message: string }> = [];
  let resumed: unknown;
  for (;;) {
    const { value } = await items.next();
    const v = value as SseItem;
    if (v.kind === "comment" && v.text === "ready") break;
    if (v.kind === "message" && v.event === "event") before.push({ id: v.id, message: (JSON.parse(v.data) as { message: string }).message });
    if (v.kind === "message" && v.event === "resumed") resumed = JSON.parse(v.data);
  }
  return { items, before, resumed, close: () => ac.abort() };
}

const at = (i: number) => String((Date.now() - 60_000 + i * 10) * 1000);

test("a tail resumed with Last-Event-ID first sends the matching events stored since that one, then goes on live", async () => {
  const s = await startTestServer();
  try {
    const log = s.store.createLog("web");
    await ingest(s, log.token, [0, 1, 2].map((i) => ({ MESSAGE: `before ${i} timeout`, __REALTIME_TIMESTAMP: at(i), _HOSTNAME: "h1" })));
    const seen = s.store.search({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 10, order: "desc" }).events;
    const lastSeen = seen.find((e) => e.message === "before 1 timeout")!.id;
    // Stored "while the reader was away": two match, one does not.
    await ingest(s, log.token, [
      { MESSAGE: "meanwhile timeout a", __REALTIME_TIMESTAMP: at(3) },
      { MESSAGE: "meanwhile ok", __REALTIME_TIMESTAMP: at(4) },
      { MESSAGE: "meanwhile timeout b", __REALTIME_TIMESTAMP: at(5) },
    ]);
    const tail = await openTail(s, new URLSearchParams({ query: "timeout" }), { "last-event-id": String(lastSeen) });
    assert.deepEqual(tail.before.map((e) => e.message), ["before 2 timeout", "meanwhile timeout a", "meanwhile timeout b"]);
    assert.deepEqual(tail.resumed, { resumed: 3, skipped: 0 });
    await ingest(s, log.token, [{ MESSAGE: "live timeout", __REALTIME_TIMESTAMP: at(6) }]);
    for (;;) {
      const { value } = await tail.items.next();
      const v = value as SseItem;
      if (v.kind === "message" && v.event === "event") {
        assert.equal((JSON.parse(v.data) as { message: string }).message, "live timeout");
        break;
      }
    }
    tail.close();
    // Without Last-Event-ID, nothing from before.
    const fresh = await openTail(s, new URLSearchParams({ query: "timeout" }));
    assert.deepEqual(fresh.before, []);
    assert.equal(fresh.resumed, undefined);
    fresh.close();
  } finally {
    await s.stop();
  }
});

test("context: the entries before and after one on the same host, unit, container or log", async () => {
  const s = await startTestServer();
  try {
    const log = s.store.createLog("web");
    const entries = Array.from({ length: 12 }, (_, i) => ({
      MESSAGE: `line ${i}`, __REALTIME_TIMESTAMP: at(i), _HOSTNAME: i % 2 === 0 ? "even" : "odd", _SYSTEMD_UNIT: "docker.service",
      ...(i % 3 === 0 ? { CONTAINER_NAME: "orders-api" } : {}),
    }));
    await ingest(s, log.token, entries);
    const all = s.store.search({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 100, order: "asc" }).events;
    const six = all.find((e) => e.message === "line 6")!;
    const host = (await call(`${s.url}/api/v1/events/${six.id}/context?n=2`)).json as unknown as EventContextJson;
    assert.equal(host.by, "host");
    assert.equal(host.value, "even");
    assert.deepEqual(host.before.map((e) => e.message), ["line 2", "line 4"]);
    assert.deepEqual(host.after.map((e) => e.message), ["line 8", "line 10"]);
    const container = (await call(`${s.url}/api/v1/events/${six.id}/context?by=container&before=5&after=1`)).json as unknown as EventContextJson;
    assert.deepEqual(container.before.map((e) => e.message), ["line 0", "line 3"]);
    assert.deepEqual(container.after.map((e) => e.message), ["line 9"]);
    const byLog = (await call(`${s.url}/api/v1/events/${six.id}/context?by=log&n=1`)).json as unknown as EventContextJson;
    assert.deepEqual([byLog.before[0]!.message, byLog.event.message, byLog.after[0]!.message], ["line 5", "line 6", "line 7"]);
    const none = await call(`${s.url}/api/v1/events/${all.find((e) => e.message === "line 1")!.id}/context?by=container`);
    assert.equal(none.status, 400);
    assert.match(none.json.error!.message, /has no container; use by=host or by=unit or by=log/);
    assert.equal((await call(`${s.url}/api/v1/events/999999/context`)).status, 404);
    assert.equal((await call(`${s.url}/api/v1/events/6/context?by=pod`)).json.error?.code, "LH_ERR_QUERY_PARAM");
  } finally {
    await s.stop();
  }
});

test("log is a query field: =, != and IN choose the logs; elsewhere it is refused with the accepted forms", async () => {
  const s = await startTestServer();
  try {
    const web = s.store.createLog("web");
    const api = s.store.createLog("api");
    await ingest(s, web.token, [{ MESSAGE: "from web status=500", __REALTIME_TIMESTAMP: at(0) }]);
    await ingest(s, api.token, [{ MESSAGE: "from api status=500", __REALTIME_TIMESTAMP: at(1) }]);
    const messages = async (q: string, extra = "") =>
      ((await call(`${s.url}/api/v1/query?q=${encodeURIComponent(q)}${extra}`)).json as { events?: Array<{ message: string }> }).events?.map((e) => e.message);
    assert.deepEqual(await messages("log = web"), ["from web status=500"]);
    assert.deepEqual(await messages("where(log != web AND status >= 500)"), ["from api status=500"]);
    assert.deepEqual(await messages("log IN [web, api]"), ["from api status=500", "from web status=500"]);
    assert.deepEqual(await messages("log = web", "&log=api"), []);
    const counted = (await call(`${s.url}/api/v1/query?q=${encodeURIComponent("log=api groupby(log) calculate(count)")}`)).json as { statistics: { count: number } };
    assert.equal(counted.statistics.count, 1);
    const events = (await call(`${s.url}/api/v1/events?q=${encodeURIComponent("log=api")}`)).json as { events: unknown[] };
    assert.equal(events.events.length, 1);
    const or = await call(`${s.url}/api/v1/query?q=${encodeURIComponent("log = web OR status = 1")}`);
    assert.equal(or.status, 400);
    assert.match(or.json.error!.message, /log: compare it with =, != or IN joined to the rest by AND/);
    const unknown = await call(`${s.url}/api/v1/query?q=${encodeURIComponent("log = nope")}`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.error!.message, /no such log; the logs are: (web, api|api, web)/);
  } finally {
    await s.stop();
  }
});

test("an empty answer says when it is a field no entry in range has, naming the fields seen", async () => {
  const s = await startTestServer();
  try {
    const log = s.store.createLog("web");
    await ingest(s, log.token, [{ MESSAGE: "GET / rt=0.1", __REALTIME_TIMESTAMP: at(0), SEQ: "1" }]);
    const a = (await call(`${s.url}/api/v1/query?q=${encodeURIComponent("where(status >= 500)")}`)).json as { events: unknown[]; notice?: string };
    assert.deepEqual(a.events, []);
    assert.match(a.notice ?? "", /^none of the 1 entries in range has the field `status`; fields seen: .*\brt\b/);
    assert.match(a.notice ?? "", /SEQ/);
    const present = (await call(`${s.url}/api/v1/query?q=${encodeURIComponent("where(rt > 5)")}`)).json as { notice?: string };
    assert.equal(present.notice, undefined, "the field is there; nothing matched it");
  } finally {
    await s.stop();
  }
});

test("an inverted time range is refused, naming both ends", async () => {
  const s = await startTestServer();
  try {
    for (const path of ["/api/v1/query?from=now&to=-1h", "/api/v1/events?from=now&to=-1h"]) {
      const r = await call(`${s.url}${path}`);
      assert.equal(r.status, 400, path);
      assert.equal(r.json.error?.code, "LH_ERR_TIME");
      assert.match(r.json.error!.message, /the time range is inverted: from \S+ is after to \S+/);
    }
  } finally {
    await s.stop();
  }
});
