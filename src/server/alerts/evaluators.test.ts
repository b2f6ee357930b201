// The triggers' rules on a fake clock: windows by entry time (late entries, a catch-up flood),
// throttled matches with true counts, fire once / renotify / resolve, warm-up after a start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { planQuery } from "../query/plan.js";
import { eventFilter } from "../query/event-filter.js";
import type { StoredEvent } from "../storage/store.js";
import type { EvaluatorContext } from "./evaluator.js";
import { MatchEvaluator } from "./match-evaluator.js";
import { ThresholdEvaluator } from "./threshold-evaluator.js";
import { InactivityEvaluator } from "./inactivity-evaluator.js";
import { EMPTY_STATE, type AlertDef, type Notification } from "./model.js";
import { SlidingWindow } from "./sliding-window.js";
import { groupKey, step } from "./groups.js";

const T0 = 1_800_000_000_000;

function ev(message: string, tsMs: number, host = "h1"): StoredEvent {
  return { id: 0, logId: "L", logName: "web", tsUs: tsMs * 1000, host, unit: "u.service", priority: 3, message, fields: {} };
}

function ctxOf(def: Partial<AlertDef>, watchSinceMs = T0): EvaluatorContext & { sent: Array<Omit<Notification, "alert">>; kinds: string[] } {
  const sent: Array<Omit<Notification, "alert">> = [];
  const kinds: string[] = [];
  return {
    def: { id: "a", name: "a", query: "", logs: [], trigger: { kind: "match", throttleS: 60 }, renotifyS: 0, webhook: "http://x/", secret: "", payload: "json", createdAt: 0, ...def },
    state: structuredClone(EMPTY_STATE), watchSinceMs, sent, kinds,
    changed: () => undefined, matched: () => undefined,
    notify: (n) => sent.push(n),
    history: (k) => kinds.push(k),
  };
}

test("a sliding window counts by entry time: late entries inside it count, older ones nowhere", () => {
  const w = new SlidingWindow(60);
  assert.equal(w.add(T0 - 30_000, T0), true);
  assert.equal(w.add(T0 - 61_000, T0), false);
  assert.equal(w.add(T0 + 5000, T0), true, "a clock ahead of ours counts now");
  assert.equal(w.count(T0), 2);
  assert.equal(w.count(T0 + 31_000), 1);
  assert.equal(w.count(T0 + 61_000), 0);
  assert.equal(w.empty, true);
});

test("fire once, stay firing without repeating, renotify when asked, resolve once", () => {
  const st = structuredClone(EMPTY_STATE);
  const k = groupKey({ host: "a" });
  assert.equal(step(st, k, { host: "a" }, true, 0, 0), "fire");
  assert.equal(step(st, k, { host: "a" }, true, 10_000, 0), undefined);
  assert.equal(step(st, k, { host: "a" }, false, 20_000, 0), "resolve");
  assert.equal(step(st, k, { host: "a" }, false, 30_000, 0), undefined);
  assert.equal(step(st, k, { host: "a" }, true, 40_000, 60), "fire");
  assert.equal(step(st, k, { host: "a" }, true, 99_000, 60), undefined);
  assert.equal(step(st, k, { host: "a" }, true, 100_000, 60), "renotify");
});

test("a catch-up flood of old entries raises no threshold notification; entries within the window fire once", () => {
  const ctx = ctxOf({ trigger: { kind: "threshold", count: 5, windowS: 60, below: false } }, T0 - 120_000);
  const plan = planQuery("where(error) groupby(host)");
  const th = new ThresholdEvaluator(ctx, eventFilter([], plan), plan.stats!.groupby, { count: 5, windowS: 60, below: false });
  // An agent back after an hour sends 1,000 errors from then: they belong to windows long closed.
  th.onEvents(Array.from({ length: 1000 }, (_, i) => ev(`error ${i}`, T0 - 3600_000 + i)), T0);
  th.tick(T0 + 1000);
  assert.equal(ctx.sent.length, 0);
  assert.ok(ctx.kinds.includes("late"), "the late entries are noted in the history");
  // Ten recent ones, of which some arrived late but within the window: one firing, with the true count.
  th.onEvents(Array.from({ length: 10 }, (_, i) => ev(`error ${i}`, T0 - 50_000 + i * 1000, "h2")), T0 + 1000);
  th.tick(T0 + 2000);
  assert.deepEqual(ctx.sent.map((n) => [n.state, n.group, n.count]), [["firing", { host: "h2" }, 10]]);
  th.tick(T0 + 60_000);
  assert.deepEqual(ctx.sent.map((n) => n.state), ["firing", "resolved"]);
});

test("right after a start a threshold may fire but does not resolve until a whole window was watched", () => {
  const ctx = ctxOf({ trigger: { kind: "threshold", count: 2, windowS: 60, below: false } }, T0);
  ctx.state.firing[""] = { sinceMs: T0 - 10_000, notifiedMs: T0 - 10_000, group: {} };
  const th = new ThresholdEvaluator(ctx, eventFilter([], planQuery("where(error)")), [], { count: 2, windowS: 60, below: false });
  th.tick(T0 + 30_000);
  assert.equal(ctx.sent.length, 0, "no false resolved from a partial window");
  th.tick(T0 + 61_000);
  assert.deepEqual(ctx.sent.map((n) => n.state), ["resolved"]);
});

test("a match alert tells the first match at once and the rest once per throttle period, with the true count and at most 10 samples", () => {
  const ctx = ctxOf({ trigger: { kind: "match", throttleS: 10 } });
  const m = new MatchEvaluator(ctx, eventFilter([], planQuery("where(panic)")), 10);
  m.onEvents([ev("panic 0", T0), ev("fine", T0)], T0);
  for (let i = 1; i < 500; i++) m.onEvents([ev(`panic ${i}`, T0 - 3600_000)], T0 + i * 20);
  m.tick(T0 + 5000);
  m.tick(T0 + 10_000);
  m.tick(T0 + 20_000);
  assert.deepEqual(ctx.sent.map((n) => n.count), [1, 499]);
  assert.equal(ctx.sent[1]!.events.length, 10);
  m.tick(T0 + 31_000);
  assert.ok(ctx.kinds.includes("resolved"), "quiet for a throttle period: back to ok");
});

test("inactivity counts from when watching began, and a firing group resolves only on a new entry", () => {
  const ctx = ctxOf({ trigger: { kind: "inactivity", forS: 60, per: "host" } }, T0);
  const ia = new InactivityEvaluator(ctx, eventFilter([], planQuery("")), "host", 60);
  ia.seed([["old", T0 - 86_400_000], ["fresh", T0 - 1000]]);
  ia.tick(T0 + 30_000);
  assert.equal(ctx.sent.length, 0, "nothing is silent before 60 s of watching");
  ia.onEvents([ev("hello", T0 + 40_000, "fresh")], T0 + 40_000);
  ia.tick(T0 + 61_000);
  assert.deepEqual(ctx.sent.map((n) => [n.state, n.group]), [["firing", { host: "old" }]]);
  ia.tick(T0 + 200_000);
  assert.equal(ctx.sent.filter((n) => n.state === "firing").length, 2, "fresh went silent later, old is not told again");
  ia.onEvents([ev("back", T0 + 201_000, "old")], T0 + 201_000);
  assert.deepEqual(ctx.sent.at(-1)!.group, { host: "old" });
  assert.equal(ctx.sent.at(-1)!.state, "resolved");
});
