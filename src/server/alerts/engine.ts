// The alerts engine of one server: an evaluator per alert, fed with every committed insert (off the
// ingest path: the events are queued and evaluated at the next turn of the event loop, after the
// acknowledgement) and ticked on a clock; state changes are saved to the catalog, notifications go
// to the outbox (delivery.ts). The catalog is re-read every RELOAD_MS, so an alert created or deleted
// through any instance sharing the catalog is in effect within that time.
import type { Logger } from "pino";
import { planQuery, type QueryPlan } from "../query/plan.js";
import { eventFilter } from "../query/event-filter.js";
import type { StatsResult } from "../query/execute/index.js";
import type { Store, StoredEvent } from "../storage/store.js";
import type { AlertCatalog } from "./catalog.js";
import { CalculateEvaluator } from "./calculate-evaluator.js";
import { Delivery } from "./delivery.js";
import type { Evaluator, EvaluatorContext } from "./evaluator.js";
import { statusOf } from "./groups.js";
import { InactivityEvaluator } from "./inactivity-evaluator.js";
import { MatchEvaluator } from "./match-evaluator.js";
import { EMPTY_STATE, type AlertDef, type AlertState, type HistoryEntry, type Notification } from "./model.js";
import { encodeNotification } from "./payload.js";
import { ThresholdEvaluator } from "./threshold-evaluator.js";
import type { AlertMetrics } from "./metrics.js";
import { WordIndex } from "../query/word-index.js";
import { onInsertedLater } from "../storage/inserted-later.js";

export const RELOAD_MS = 2000;
/** Minutes of match counts kept for the sparkline. */
export const SPARK_MINUTES = 60;

export interface AlertEngineOptions {
  store: Store;
  catalog: AlertCatalog;
  logger: Logger;
  metrics: AlertMetrics;
  /** The web page's address, for the link in notifications (known once the server listens). */
  baseUrl(): string;
  /** Runs a statistics query (calculated thresholds): on the query threads in the server. */
  runStats(q: string, logIds: string[], fromMs: number, toMs: number): Promise<StatsResult>;
  /** Groups known to be active at start (inactivity per host / unit / log): value → last seen (ms). */
  activity?(per: "host" | "unit" | "log"): Iterable<[string, number]>;
  now?: () => number;
}

interface Running {
  def: AlertDef;
  plan: QueryPlan;
  ctx: EvaluatorContext & { dirty: boolean };
  evaluator: Evaluator;
  nextTickMs: number;
  matches: Map<number, number>;
}

/** Whether a plan calculates something other than a count (evaluated on a schedule). */
export function calculatesValue(plan: QueryPlan): boolean {
  return plan.stats !== undefined && plan.stats.calculate.fn !== "count";
}

export class AlertEngine {
  private readonly running = new Map<string, Running>();
  /** The alerts that look at committed events, by the words their queries need (query/word-index.ts). */
  private index = new WordIndex<Running>();
  private readonly delivery: Delivery;
  private readonly now: () => number;
  private unhook: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = -1;
  private lastReloadMs = 0;
  private stopped = false;

  constructor(private readonly o: AlertEngineOptions) {
    this.now = o.now ?? Date.now;
    this.delivery = new Delivery(o.catalog, (id) => this.running.get(id)?.def ?? o.catalog.get(id), o.logger, {
      delivered: () => o.metrics.deliveries.inc({ result: "delivered" }),
      failed: () => o.metrics.deliveries.inc({ result: "failed" }),
    });
  }

  start(): void {
    this.reload();
    this.delivery.start();
    this.timer = setInterval(() => void this.tick(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unhook?.();
    this.unhook = undefined;
    this.saveDirty();
    await this.delivery.stop();
  }

  /** Re-reads the catalog now (the API calls it after a change, so it takes effect at once). */
  reload(): void {
    this.lastReloadMs = this.now();
    const defs = this.o.catalog.list();
    const ids = new Set(defs.map((d) => d.id));
    for (const id of this.running.keys()) if (!ids.has(id)) this.running.delete(id);
    for (const def of defs) if (!this.running.has(def.id)) this.add(def);
    this.generation = this.o.catalog.generation();
    this.index = new WordIndex<Running>();
    for (const r of this.running.values()) if (r.evaluator.onEvents) this.index.add(r, r.plan.where);
    const wantsEvents = [...this.running.values()].some((r) => r.evaluator.onEvents !== undefined);
    if (wantsEvents && !this.unhook) this.unhook = onInsertedLater(this.o.store, (batches) => this.drain(batches));
    if (!wantsEvents && this.unhook) {
      this.unhook();
      this.unhook = undefined;
    }
    this.o.metrics.alerts.set(this.running.size);
  }

  /** The state of an alert as this engine has it (the saved one when it does not run here). */
  stateOf(id: string): AlertState {
    return this.running.get(id)?.ctx.state ?? this.o.catalog.state(id) ?? structuredClone(EMPTY_STATE);
  }

  /** Matches per minute over the last hour (oldest first), for the sparkline. */
  sparkline(id: string): number[] {
    const r = this.running.get(id);
    const nowMin = Math.floor(this.now() / 60_000);
    const out: number[] = [];
    for (let m = nowMin - SPARK_MINUTES + 1; m <= nowMin; m++) out.push(r?.matches.get(m) ?? 0);
    return out;
  }

  /**
   * The alert that watches every entry of every host for silence (inactivity per host, no query, all
   * logs), if any: the fleet view takes its threshold and its firing hosts as the silent ones.
   */
  hostWatcher(): { name: string; forS: number; silent: Set<string> } | undefined {
    for (const r of this.running.values()) {
      const t = r.def.trigger;
      if (t.kind === "inactivity" && t.per === "host" && r.def.query === "" && r.def.logs.length === 0 && r.evaluator instanceof InactivityEvaluator) {
        return { name: r.def.name, forS: t.forS, silent: r.evaluator.silentGroups() };
      }
    }
    return undefined;
  }

  /** Sends a sample notification now (alerts test). */
  test(def: AlertDef): void {
    const nowMs = this.now();
    this.deliver({
      alert: def, state: "firing", log: def.logs.join(","), count: 1, windowS: 0, group: {},
      events: [{ ts: new Date(nowMs).toISOString(), host: "example-host", unit: "example.service", message: `logharbor test notification of alert "${def.name}"` }],
      fromMs: nowMs - 3600_000, toMs: nowMs, test: true,
    });
    this.o.catalog.addHistory(def.id, { atMs: nowMs, kind: "test", detail: {} });
  }

  private add(def: AlertDef): void {
    const saved = this.o.catalog.state(def.id);
    const state: AlertState = saved ?? structuredClone(EMPTY_STATE);
    const matches = new Map<number, number>();
    const ctx: Running["ctx"] = {
      def, state, dirty: saved === undefined, watchSinceMs: this.now(),
      matched: (n, nowMs) => {
        const m = Math.floor(nowMs / 60_000);
        matches.set(m, (matches.get(m) ?? 0) + n);
        if (matches.size > SPARK_MINUTES) matches.delete(matches.keys().next().value!);
      },
      changed: () => (ctx.dirty = true),
      notify: (n) => this.deliver({ ...n, alert: def }),
      history: (kind, detail) => this.history(def, kind, detail),
    };
    const plan = planQuery(def.query);
    const logIds = def.logs.map((n) => this.o.store.logByName(n)?.id).filter((id): id is string => id !== undefined);
    const passing = eventFilter(logIds, plan);
    const t = def.trigger;
    let evaluator: Evaluator;
    if (t.kind === "match") evaluator = new MatchEvaluator(ctx, passing, t.throttleS);
    else if (t.kind === "inactivity") {
      const ev = new InactivityEvaluator(ctx, passing, t.per, t.forS);
      // Every group the store knows to have had such entries, so one silent since before the start is
      // watched too (only where the store can tell: every entry, of all logs or per log).
      if (this.o.activity && def.query === "" && (def.logs.length === 0 || t.per === "log")) {
        const seed = [...this.o.activity(t.per)];
        ev.seed(def.logs.length === 0 ? seed : seed.filter(([log]) => def.logs.includes(log)));
      }
      evaluator = ev;
    } else if (calculatesValue(plan)) {
      evaluator = new CalculateEvaluator(ctx, (fromMs, toMs) => this.o.runStats(def.query, logIds, fromMs, toMs), { limit: t.count, windowS: t.windowS, below: t.below });
    } else {
      evaluator = new ThresholdEvaluator(ctx, passing, plan.stats?.groupby ?? [], t);
    }
    this.running.set(def.id, { def, plan, ctx, evaluator, nextTickMs: 0, matches });
  }

  private drain(batches: StoredEvent[][]): void {
    if (this.stopped) return;
    const nowMs = this.now();
    const index = this.index;
    for (const b of batches) {
      // Each alert sees only the events that contain a word its query needs (or all, without one).
      const lists = new Map<Running, StoredEvent[]>();
      if (index.indexed) {
        for (const e of b) {
          index.candidates(e, (r) => {
            const l = lists.get(r);
            if (l) l.push(e);
            else lists.set(r, [e]);
          });
        }
      }
      for (const r of index.unindexed) lists.set(r, b);
      for (const [r, events] of lists) {
        try {
          r.evaluator.onEvents!(events, nowMs);
        } catch (e) {
          this.fail(r, e);
        }
      }
    }
    // Threshold windows slide on the clock; groups an insert did not touch are compared at the tick.
    for (const b of batches) this.o.metrics.evaluatedEvents.inc(b.length);
    this.saveDirty();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const nowMs = this.now();
    if (nowMs - this.lastReloadMs >= RELOAD_MS || this.o.catalog.generation() !== this.generation) {
      try {
        this.reload();
      } catch (e) {
        this.o.logger.error({ err: e }, "could not re-read the alerts");
      }
    }
    const started = performance.now();
    const ticks: Array<Promise<void>> = [];
    for (const r of this.running.values()) {
      if (nowMs < r.nextTickMs) continue;
      r.nextTickMs = nowMs + r.evaluator.tickMs;
      this.o.metrics.evaluations.inc({ trigger: r.def.trigger.kind });
      try {
        const p = r.evaluator.tick(nowMs);
        if (p) ticks.push(p.catch((e: unknown) => this.fail(r, e)));
      } catch (e) {
        this.fail(r, e);
      }
    }
    this.o.metrics.tickSeconds.observe((performance.now() - started) / 1000);
    await Promise.all(ticks);
    this.saveDirty();
  }

  private fail(r: Running, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    if (r.ctx.state.error === message) return;
    r.ctx.state.error = message;
    r.ctx.dirty = true;
    this.history(r.def, "error", { message });
    this.o.logger.error({ alert: r.def.name, err: e }, "alert evaluation failed");
  }

  private saveDirty(): void {
    for (const r of this.running.values()) {
      if (!r.ctx.dirty) continue;
      r.ctx.dirty = false;
      r.ctx.state.status = statusOf(r.ctx.state);
      try {
        this.o.catalog.saveState(r.def.id, r.ctx.state);
      } catch (e) {
        r.ctx.dirty = true;
        this.o.logger.error({ alert: r.def.name, err: e }, "could not save an alert's state; will retry");
      }
    }
  }

  private history(def: AlertDef, kind: HistoryEntry["kind"], detail: Record<string, unknown>): void {
    try {
      this.o.catalog.addHistory(def.id, { atMs: this.now(), kind, detail });
    } catch (e) {
      this.o.logger.error({ alert: def.name, err: e }, "could not write an alert's history");
    }
  }

  private deliver(n: Notification): void {
    if (!n.test) this.o.metrics.firings.inc({ trigger: n.alert.trigger.kind, state: n.state });
    const enc = encodeNotification(n, this.o.baseUrl());
    this.delivery.enqueue(n.alert, n.test ? "test" : n.state, enc.contentType, enc.body);
  }
}
