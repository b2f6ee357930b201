import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogharborError } from "../../../core/errors.js";
import { SqliteStore } from "../../storage/sqlite/sqlite-store.js";
import { planQuery } from "../plan.js";
import { executeQuery, type ExecuteOptions, type QueryResult, type StatsResult, type EventsResult } from "./index.js";
import { loadFixture, MINUTE_US, T0_US } from "./fixture.js";

function withFixture(fn: (s: SqliteStore, logs: { web: string; app: string }) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "lh-exec-"));
  const s = SqliteStore.open(dir);
  try {
    fn(s, loadFixture(s));
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ALL = { logIds: [], fromUs: T0_US, toUs: T0_US + 10 * MINUTE_US };

function run(s: SqliteStore, q: string, o: Partial<ExecuteOptions> = {}): QueryResult {
  return executeQuery(s, planQuery(q), { ...ALL, ...o });
}
function stats(s: SqliteStore, q: string, o: Partial<ExecuteOptions> = {}): StatsResult {
  const r = run(s, q, o);
  assert.equal(r.kind, "statistics", q);
  return r as StatsResult;
}
function messages(r: QueryResult | EventsResult): string[] {
  assert.equal(r.kind, "events");
  return (r as EventsResult).events.map((e) => e.message);
}

test("computes whole-range statistics that match the hand-checked answers", () => {
  withFixture((s) => {
    // ms values: key=value 10 30 50 20 40, JSON 5 15 35 (the duplicate "ms" keeps its last value).
    const table: Array<[query: string, value: number | null, strategy: StatsResult["strategy"]]> = [
      ["calculate(count)", 10, "aggregate"],
      ["where(status>=500) calculate(count)", 2, "aggregate"],
      ["where(req.status>=500) calculate(count)", 2, "aggregate"],
      ['where(req.status="500") calculate(count)', 1, "aggregate"],
      ["where(tags.0 = a) calculate(count)", 1, "aggregate"],
      ["calculate(sum:ms)", 205, "aggregate"],
      ["calculate(average:ms)", 25.625, "aggregate"],
      ["calculate(min:ms)", 5, "aggregate"],
      ["calculate(max:ms)", 50, "aggregate"],
      ["calculate(percentile(95):ms)", 46.5, "values"],
      ["calculate(median:ms)", 25, "values"],
      ["calculate(percentile(0):ms)", 5, "values"],
      ["calculate(unique:host)", 3, "values"],
      ["calculate(unique:status)", 4, "values"],
      ["where(disk) calculate(bytes)", 21, "aggregate"],
      ["where(priority <= err) calculate(count)", 3, "aggregate"],
      ["where(/took (?P<took>\\d+)ms/) calculate(sum:took)", 120, "events"],
      ["where(/(?<verb>GET|POST) / verb=GET) calculate(count)", 4, "events"],
      ["where(nothing-matches-this) calculate(average:ms)", null, "aggregate"],
    ];
    for (const [q, want, strategy] of table) {
      const r = stats(s, q);
      assert.equal(r.value, want, q);
      assert.equal(r.strategy, strategy, q);
      assert.equal(r.partial, undefined, q);
    }
  });
});

test("groups by one or two fields, sorted by value descending unless asked otherwise, limited", () => {
  withFixture((s) => {
    const g = (q: string) => stats(s, q).groups.map((x) => [...x.keys, x.value]);
    assert.deepEqual(g("groupby(host)"), [["app-1", 5], ["web-1", 3], ["web-2", 2]]);
    assert.deepEqual(g("groupby(host) sort(asc)"), [["web-2", 2], ["web-1", 3], ["app-1", 5]]);
    assert.deepEqual(g("groupby(host) sort(desc#key) limit(2)"), [["web-2", 2], ["web-1", 3]]);
    assert.deepEqual(g("groupby(req.method)"), [["GET", 2], ["POST", 1]], "events without the field are in no group");
    assert.deepEqual(g("groupby(status) calculate(sum:ms)"), [[503, 50], [404, 40], [200, 30], [500, 30]], "ties by key");
    assert.deepEqual(g("groupby(host, unit) calculate(max:ms)"), [["web-1", "nginx.service", 50], ["web-2", "nginx.service", 40], ["app-1", "app.service", 35]]);
    assert.deepEqual(g("groupby(host) calculate(median:ms)"), [["web-2", 35], ["app-1", 15], ["web-1", 20]].sort((a, b) => (b[1] as number) - (a[1] as number)));
    assert.deepEqual(g("where(/(?<verb>GET|POST) /) groupby(verb)"), [["GET", 4], ["POST", 1]]);
    const r = stats(s, "groupby(host) limit(1)");
    assert.equal(r.groupsTotal, 3);
    assert.equal(r.count, 10);
  });
});

test("slices time into N buckets over the range or buckets of a fixed duration", () => {
  withFixture((s) => {
    const r = stats(s, "calculate(count) timeslice(5)");
    assert.deepEqual(r.buckets, { originUs: T0_US, widthUs: 2 * MINUTE_US, count: 5 });
    assert.deepEqual(r.timeseries!.map((b) => b.value), [2, 2, 2, 2, 2]);
    const m = stats(s, "where(status>=200) calculate(sum:ms) timeslice(3m)", { fromUs: T0_US + 30_000_000 });
    // 3-minute buckets aligned to the epoch: [0,3) [3,6) [6,9) [9,12) minutes after T0; events at 1..4 (t=0 is before from).
    assert.deepEqual(m.buckets, { originUs: T0_US, widthUs: 3 * MINUTE_US, count: 4 });
    assert.deepEqual(m.timeseries!.map((b) => b.value), [80, 60, 0, 0]);
    const g = stats(s, "groupby(host) timeslice(2)");
    assert.deepEqual(g.groups.map((x) => [x.keys[0], x.timeseries]), [["app-1", [0, 5]], ["web-1", [3, 0]], ["web-2", [2, 0]]]);
  });
});

test("queries several logs at once or only the ones asked for", () => {
  withFixture((s, logs) => {
    assert.equal(stats(s, "calculate(count)", { logIds: [logs.web] }).value, 5);
    assert.equal(stats(s, "calculate(count)", { logIds: [logs.web, logs.app] }).value, 10);
    assert.equal(stats(s, "calculate(count)", { logIds: [logs.app], fromUs: T0_US + 7 * MINUTE_US }).value, 3);
  });
});

test("refuses a calculation on a field that is not numeric, naming the field and its column", () => {
  withFixture((s) => {
    for (const [q, col] of [["calculate(sum:host)", 15], ["where(took) calculate(average:user)", 31], ["groupby(unit) calculate(max:message)", 29]] as const) {
      assert.throws(() => stats(s, q), (e: unknown) => {
        assert.ok(e instanceof LogharborError);
        assert.equal(e.code, "LH_ERR_QUERY_FIELD", q);
        assert.equal(e.position, col, q);
        assert.match(e.message, /is not|holds text|none is a number/);
        return true;
      });
    }
    assert.equal(stats(s, "calculate(unique:user)").value, 1, "unique takes any field");
  });
});

test("answers events newest first through the store, regex fields filtered here, in pages", () => {
  withFixture((s) => {
    assert.deepEqual(messages(run(s, "where(status>=500)")), ["POST /a status=503 ms=50", "GET /b status=500 ms=30"]);
    assert.deepEqual(messages(run(s, "where(status>=500) sort(asc)")), ["GET /b status=500 ms=30", "POST /a status=503 ms=50"]);
    const q = "where(/(?<verb>GET|POST) / verb=GET)";
    const p1 = run(s, q, { limit: 2 }) as EventsResult;
    assert.deepEqual(messages(p1), ["GET /c status=404 ms=40", "GET /a status=200 ms=20"]);
    assert.equal(p1.events[0]!.extracted?.["verb"], "GET");
    const p2 = run(s, q, { limit: 2, after: p1.nextPage! }) as EventsResult;
    assert.deepEqual(messages(p2), ["GET /b status=500 ms=30", "GET /a status=200 ms=10"]);
    const p3 = run(s, q, { limit: 2, after: p2.nextPage! }) as EventsResult;
    assert.deepEqual(messages(p3), []);
    assert.equal(p3.nextPage, undefined);
    assert.deepEqual(messages(run(s, "limit(1)")), ["took 120ms user=bob"]);
  });
});

test("stops at the time budget and says the answer is partial and what it covers", () => {
  withFixture((s) => {
    let now = 0;
    const clock = () => (now += 1000); // every look at the clock: one more second
    const r = stats(s, "calculate(count)", { budgetMs: 1, clock });
    assert.ok(r.partial, "partial");
    assert.match(r.partial!.reason, /time budget of 1 ms/);
    assert.ok(r.value! < 10);
    assert.equal(r.partial!.scannedToUs, T0_US + 9 * MINUTE_US + 1);
    const e = run(s, "where(nothing-matches-this)", { budgetMs: 1, clock }) as EventsResult;
    assert.ok(e.partial);
    assert.ok(e.nextPage, "a partial page can be continued");
    const full = stats(s, "calculate(count)", { budgetMs: 60_000 });
    assert.equal(full.partial, undefined);
    assert.equal(full.value, 10);
  });
});

test("a query at the term limit runs on SQLite (below its expression depth and parameter count)", () => {
  // Not a timing test: a budget that a busy machine cannot cut short.
  const NO_CUT = { budgetMs: 600_000 };
  withFixture((s) => {
    const words = Array.from({ length: 199 }, (_, i) => `nosuchword${i}`);
    assert.deepEqual(messages(run(s, `${words.join(" OR ")} OR full`, NO_CUT)), ["disk full on /dev/sda"]);
    const list = Array.from({ length: 999 }, (_, i) => `h${i}`).join(", ");
    assert.deepEqual(messages(run(s, `${words.map((w) => `/${w}/`).join(" OR ")} OR /full/`, NO_CUT)), ["disk full on /dev/sda"]);
    assert.deepEqual(messages(run(s, `host IN [${list}, app-1] /full/`, NO_CUT)), ["disk full on /dev/sda"]);
  });
});

test("a catastrophic regex over stored rows matches in linear time (RE2), in SQL and in the extractor", () => {
  withFixture((s, logs) => {
    const evil = `${"a".repeat(5000)}b`;
    s.insert(logs.app, [{ ident: "evil", tsUs: T0_US + 9 * MINUTE_US + 1, host: "x", unit: "x", priority: 6, message: evil, fieldsJson: "{}" }]);
    assert.deepEqual(messages(run(s, "/^(a+)+$/")), []);
    assert.deepEqual(messages(run(s, "/(a|aa)+c/")), []);
    assert.equal(stats(s, "/^(?P<x>(a+)+)$/ calculate(count)").count, 0);
  });
});

