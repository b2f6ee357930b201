import { test } from "node:test";
import assert from "node:assert/strict";
import { call, jsonBody, startTestServer, type Answer, type TestServer } from "../../testing.js";
import { loadFixture, T0_US } from "../../query/execute/fixture.js";

const FROM_MS = T0_US / 1000;
const TO_MS = FROM_MS + 10 * 60_000;

/**
 * Follows an answer as the Logentries CLI (lecli) does: on 202 wait a little and poll links[0]
 * (Self); on 200 keep the body and, while it has links, follow links[0] (Next), which starts over.
 */
async function drive(first: Answer, headers: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
  const pages: Array<Record<string, unknown>> = [];
  let r = first;
  for (let hops = 0; hops < 1000; hops++) {
    if (r.status === 202 || r.status === 200) {
      if (r.status === 200) pages.push(r.json);
      const links = r.json["links"] as Array<{ rel: string; href: string }> | undefined;
      if (!links || links.length === 0) return pages;
      assert.equal(links[0]!.rel, r.status === 202 ? "Self" : "Next");
      // The query runs on a query thread: poll again shortly, as lecli does.
      if (r.status === 202) await new Promise((res) => setTimeout(res, 10));
      r = await call(links[0]!.href, { headers });
      continue;
    }
    assert.fail(`unexpected ${r.status}: ${JSON.stringify(r.json)}`);
  }
  assert.fail("too many hops");
}

async function withServer(fn: (s: TestServer, logs: { web: string; app: string }) => Promise<void>): Promise<void> {
  const s = await startTestServer();
  try {
    await fn(s, loadFixture(s.store));
  } finally {
    await s.stop();
  }
}

test("runs a posted LEQL events query as Logentries does: 202, poll Self, then pages through Next", async () => {
  await withServer(async (s, logs) => {
    const start = await call(`${s.url}/query/logs/?per_page=4`, jsonBody({ logs: [logs.web, logs.app], leql: { during: { from: FROM_MS, to: TO_MS }, statement: "where(/.*/)" } }));
    assert.equal(start.status, 202);
    assert.match(start.json["id"] as string, /^[0-9a-f-]{36}$/);
    assert.deepEqual(start.json["links"], [{ rel: "Self", href: `${s.url}/query/${start.json["id"] as string}` }]);
    const pages = await drive(start);
    assert.deepEqual(pages.map((p) => (p["events"] as unknown[]).length), [4, 4, 2]);
    const events = pages.flatMap((p) => p["events"] as Array<{ timestamp: number; message: string; log_id: string; sequence_number: number; links: unknown[]; labels: unknown[] }>);
    assert.equal(events[0]!.message, "took 120ms user=bob");
    assert.equal(events[0]!.timestamp, FROM_MS + 9 * 60_000);
    assert.equal(events[0]!.log_id, logs.app);
    assert.deepEqual(events[0]!.labels, []);
    assert.equal(new Set(events.map((e) => e.sequence_number)).size, 10, "every event once");
    assert.deepEqual(pages[0]!["leql"], { during: { from: FROM_MS, to: TO_MS }, statement: "where(/.*/)" });
    assert.deepEqual(pages[0]!["logs"], [logs.web, logs.app]);
    assert.equal(pages[2]!["links"], undefined, "the last page has no Next link");
  });
});

test("answers the GET form with the statistics shape: groups, global stats and timeseries", async () => {
  await withServer(async (s, logs) => {
    const q = (statement: string) =>
      call(`${s.url}/query/logs/${logs.web},${logs.app}?${new URLSearchParams({ query: statement, from: String(FROM_MS), to: String(TO_MS) })}`).then((r) => drive(r));
    const [groups] = await q("groupby(host) calculate(count)");
    const st = groups!["statistics"] as Record<string, unknown>;
    assert.deepEqual(st["groups"], [{ "app-1": { count: 5 } }, { "web-1": { count: 3 } }, { "web-2": { count: 2 } }]);
    assert.equal(st["count"], 10);
    assert.equal(st["from"], FROM_MS);
    assert.equal(st["to"], TO_MS);
    assert.deepEqual(st["timeseries"], {});
    const [series] = await q("where(ms>0) calculate(sum:ms) timeslice(5)");
    const ts = series!["statistics"] as Record<string, unknown>;
    assert.deepEqual(ts["stats"], { global_timeseries: { sum: 205 } });
    assert.deepEqual(ts["timeseries"], { global_timeseries: [{ sum: 40 }, { sum: 70 }, { sum: 45 }, { sum: 50 }, { sum: 0 }] });
    assert.equal(ts["granularity"], 2 * 60_000);
    const [grouped] = await q("groupby(unit) timeslice(2)");
    assert.deepEqual((grouped!["statistics"] as Record<string, unknown>)["timeseries"], {
      "nginx.service": [{ count: 5 }, { count: 0 }],
      "app.service": [{ count: 0 }, { count: 5 }],
    });
  });
});

test("refuses bad compat queries with the error shape", async () => {
  await withServer(async (s, logs) => {
    const bad = await call(`${s.url}/query/logs/${logs.web}?query=${encodeURIComponent("where(a")}&from=${FROM_MS}&to=${TO_MS}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error?.code, "LH_ERR_QUERY_SYNTAX");
    assert.equal((await call(`${s.url}/query/logs/nope?from=1&to=2`)).status, 404);
    assert.equal((await call(`${s.url}/query/logs/`, jsonBody({ leql: {} }))).json.error?.code, "LH_ERR_REQUEST");
    assert.equal((await call(`${s.url}/query/00000000-0000-0000-0000-000000000000`)).status, 404);
    const range = await call(`${s.url}/query/logs/`, jsonBody({ logs: [logs.web], leql: { during: { time_range: "last 2 hours" }, statement: "" } }));
    assert.equal(range.status, 202);
  });
});

test("tails live through POST /query/live/logs and its Next links", async () => {
  await withServer(async (s, logs) => {
    const start = await call(`${s.url}/query/live/logs`, jsonBody({ logs: [logs.web], leql: { statement: "where(status>=500)" } }));
    assert.equal(start.status, 200);
    const next = (start.json["links"] as Array<{ rel: string; href: string }>)[0]!;
    assert.equal(next.rel, "Next");
    const web = s.store.logById(logs.web)!;
    const r = await fetch(`${s.url}/api/v1/ingest/journal`, {
      method: "POST",
      headers: { authorization: `Bearer ${web.token}`, "content-type": "application/vnd.fdo.journal" },
      body: "MESSAGE=GET / status=200\n\nMESSAGE=GET / status=503\n\n",
    });
    assert.equal(r.status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    const poll = await call(next.href);
    assert.equal(poll.status, 200);
    assert.deepEqual((poll.json["events"] as Array<{ message: string }>).map((e) => e.message), ["GET / status=503"]);
    const again = await call((poll.json["links"] as Array<{ href: string }>)[0]!.href);
    assert.deepEqual(again.json["events"], [], "each poll gets what arrived since the last");
  });
});
