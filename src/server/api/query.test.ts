import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { call, jsonBody, startTestServer, type TestServer } from "../testing.js";
import { loadFixture, MINUTE_US, T0_US } from "../query/execute/fixture.js";

const FROM_MS = T0_US / 1000;
const TO_MS = FROM_MS + 10 * 60_000;

async function withServer(fn: (s: TestServer, logs: { web: string; app: string }) => Promise<void>, opts = {}): Promise<void> {
  const s = await startTestServer(opts);
  try {
    await fn(s, loadFixture(s.store));
  } finally {
    await s.stop();
  }
}

function qs(params: Record<string, string>): string {
  return new URLSearchParams({ from: String(FROM_MS), to: String(TO_MS), ...params }).toString();
}

test("answers statistics over HTTP in the documented shape", async () => {
  await withServer(async (s) => {
    const r = await call(`${s.url}/api/v1/query?${qs({ q: "where(status>=200) groupby(host) calculate(sum:ms) timeslice(2)" })}`);
    assert.equal(r.status, 200);
    assert.equal(r.json["type"], "statistics");
    assert.equal(r.json["query"], "where(status >= 200) groupby(host) calculate(sum:ms) timeslice(2)");
    assert.equal(r.json["from"], "2024-01-01T00:00:00.000000Z");
    assert.equal(r.json["partial"], false);
    const st = r.json["statistics"] as Record<string, unknown>;
    assert.deepEqual(
      { ...st, timeslice: undefined },
      {
        function: "sum", field: "ms", percentile: null, groupby: ["host"], count: 5, value: 150, groups_total: 2, timeslice: undefined,
        groups: [{ key: ["web-1"], count: 3, value: 80, timeseries: [80, 0] }, { key: ["web-2"], count: 2, value: 70, timeseries: [70, 0] }],
      },
    );
    const ts = st["timeslice"] as { width_ms: number; buckets: Array<{ from: string; count: number; value: number }> };
    assert.equal(ts.width_ms, 5 * 60_000);
    assert.deepEqual(ts.buckets.map((b) => [b.from, b.count, b.value]), [["2024-01-01T00:00:00.000000Z", 5, 150], ["2024-01-01T00:05:00.000000Z", 0, 0]]);
  });
});

test("answers events with parsed and extracted fields, paging with next_page, over GET and POST", async () => {
  await withServer(async (s) => {
    const q = "where(/(?<verb>GET|POST) / verb=GET)";
    const p1 = await call(`${s.url}/api/v1/query?${qs({ q, limit: "3" })}`);
    assert.equal(p1.status, 200);
    assert.equal(p1.json["type"], "events");
    const ev = p1.json["events"] as Array<{ message: string; parsed: Record<string, unknown>; extracted: Record<string, string>; log: string }>;
    assert.deepEqual(ev.map((e) => e.message), ["GET /c status=404 ms=40", "GET /a status=200 ms=20", "GET /b status=500 ms=30"]);
    assert.deepEqual(ev[0]!.parsed, { status: 404, ms: 40 });
    assert.deepEqual(ev[0]!.extracted, { verb: "GET" });
    assert.equal(ev[0]!.log, "web");
    const p2 = await call(`${s.url}/api/v1/query`, jsonBody({ q, from: FROM_MS, to: TO_MS, limit: 3, after: p1.json["next_page"] }));
    assert.deepEqual((p2.json["events"] as Array<{ message: string }>).map((e) => e.message), ["GET /a status=200 ms=10"]);
    assert.equal(p2.json["next_page"], undefined);
    const onlyApp = await call(`${s.url}/api/v1/query`, jsonBody({ q: "calculate(count)", log: ["app"] }));
    assert.equal((onlyApp.json["statistics"] as { value: number }).value, 5);
  });
});

test("refuses bad queries with the error code, message and column", async () => {
  await withServer(async (s) => {
    const cases: Array<[string, number, string, number | undefined]> = [
      ["groupby(host,)", 400, "LH_ERR_QUERY_SYNTAX", 14],
      ["calculate(average:host)", 400, "LH_ERR_QUERY_FIELD", 19],
      ["where(took) calculate(sum:user)", 400, "LH_ERR_QUERY_FIELD", 27],
    ];
    for (const [q, status, code, position] of cases) {
      const r = await call(`${s.url}/api/v1/query?${qs({ q })}`);
      assert.equal(r.status, status, q);
      assert.equal(r.json.error?.code, code, q);
      assert.equal(r.json.error?.position, position, q);
    }
    assert.equal((await call(`${s.url}/api/v1/query?${qs({ q: "", log: "nope" })}`)).json.error?.code, "LH_ERR_LOG_NOT_FOUND");
    assert.equal((await call(`${s.url}/api/v1/query?${qs({ q: "", limit: "0" })}`)).json.error?.code, "LH_ERR_QUERY_PARAM");
    assert.equal((await call(`${s.url}/api/v1/query?${qs({ q: "", from: "yesterday" })}`)).json.error?.code, "LH_ERR_TIME");
  });
});

test("says when a query was cut by its time budget", async () => {
  await withServer(async (s) => {
    const r = await call(`${s.url}/api/v1/query?${qs({ q: "calculate(count)", budget_ms: "0" })}`);
    assert.equal(r.status, 200);
    assert.equal(r.json["partial"], true);
    assert.match(r.json["reason"] as string, /time budget of 0 ms/);
    assert.ok((r.json["statistics"] as { value: number }).value < 10);
    assert.equal(typeof r.json["scanned_from"], "string");
  });
});

test("lists field names and their frequent values for autocompletion", async () => {
  await withServer(async (s) => {
    const f = await call(`${s.url}/api/v1/fields`);
    const fields = f.json["fields"] as Array<{ name: string; alias?: string; source: string; count: number }>;
    assert.equal(f.json["sampled"], 10);
    assert.deepEqual(fields.find((x) => x.name === "_HOSTNAME"), { name: "_HOSTNAME", alias: "host", source: "journal", count: 10 });
    assert.deepEqual(fields.find((x) => x.name === "ms"), { name: "ms", source: "message", count: 8 });
    assert.ok(fields.some((x) => x.name === "req.method" && x.source === "message"));
    const v = await call(`${s.url}/api/v1/fields/host/values`);
    assert.deepEqual(v.json["values"], [{ value: "app-1", count: 5 }, { value: "web-1", count: 3 }, { value: "web-2", count: 2 }]);
    const st = await call(`${s.url}/api/v1/fields/status/values?limit=2`);
    assert.deepEqual(st.json["values"], [{ value: 200, count: 2 }, { value: 404, count: 1 }]);
  });
});

test("lets read-only keys query (GET and POST) on a server that needs keys", async () => {
  await withServer(
    async (s) => {
      const admin = readFileSync(join(s.dataDir, "admin-api-key"), "utf8").trim();
      const ro = (await call(`${s.url}/api/v1/keys`, jsonBody({ read_only: true }, { "x-api-key": admin }))).json["key"] as { secret: string };
      const h = { "x-api-key": ro.secret };
      assert.equal((await call(`${s.url}/api/v1/query?q=groupby(host)`, { headers: h })).status, 200);
      assert.equal((await call(`${s.url}/api/v1/query`, jsonBody({ q: "groupby(host)" }, h))).status, 200);
      assert.equal((await call(`${s.url}/query/logs/`, jsonBody({ logs: ["web"], leql: { during: { from: FROM_MS, to: TO_MS }, statement: "" } }, h))).status, 202);
      assert.equal((await call(`${s.url}/api/v1/query?q=x`)).status, 401);
      assert.equal((await call(`${s.url}/api/v1/logs`, jsonBody({ name: "x" }, h))).status, 403, "still read-only elsewhere");
    },
    { requireApiKey: true },
  );
});
