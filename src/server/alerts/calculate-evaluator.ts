// The threshold trigger on a calculated value (calculate(average:took), percentile(95):took,
// unique:host, sum, min, max — anything but a plain count): every `tickMs` (a tenth of the window,
// 5 s to 60 s) the query runs over the last window — on the query threads, like any query — and each
// group's value is compared with the limit (above it, or with `below` under it). A query that fails
// puts the alert in the error state, said once, instead of letting it go quiet.
import type { StatsResult } from "../query/execute/index.js";
import type { Evaluator, EvaluatorContext } from "./evaluator.js";
import { groupKey, step } from "./groups.js";

/** Runs the alert's query over [fromMs, toMs) and gives its statistics. */
export type RunStats = (fromMs: number, toMs: number) => Promise<StatsResult>;

export function calculateTickMs(windowS: number): number {
  return Math.min(60_000, Math.max(5000, Math.round((windowS * 1000) / 10)));
}

export class CalculateEvaluator implements Evaluator {
  readonly tickMs: number;
  private running = false;

  constructor(
    private readonly ctx: EvaluatorContext,
    private readonly run: RunStats,
    private readonly opts: { limit: number; windowS: number; below: boolean },
  ) {
    this.tickMs = calculateTickMs(opts.windowS);
  }

  async tick(nowMs: number): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const r = await this.run(nowMs - this.opts.windowS * 1000, nowMs);
      if (this.ctx.state.error !== undefined) {
        delete this.ctx.state.error;
        this.ctx.history("recovered", {});
        this.ctx.changed();
      }
      const seen = new Set<string>();
      const rows = r.groupby.length === 0 ? [{ keys: [], value: r.value, count: r.count }] : r.groups;
      for (const g of rows) {
        const group: Record<string, string> = {};
        r.groupby.forEach((name, i) => (group[name] = String(g.keys[i] ?? "")));
        const key = groupKey(group);
        seen.add(key);
        const breached = g.value !== null && (this.opts.below ? g.value < this.opts.limit : g.value > this.opts.limit);
        this.apply(key, group, breached, g.value, g.count, nowMs);
      }
      // A firing group with no entry in the window any more has recovered.
      for (const [key, f] of Object.entries(this.ctx.state.firing)) if (!seen.has(key)) this.apply(key, f.group, false, null, 0, nowMs);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (this.ctx.state.error !== message) {
        this.ctx.state.error = message;
        this.ctx.history("error", { message });
        this.ctx.changed();
      }
    } finally {
      this.running = false;
    }
  }

  private apply(key: string, group: Record<string, string>, breached: boolean, value: number | null, count: number, nowMs: number): void {
    const t = step(this.ctx.state, key, group, breached, nowMs, this.ctx.def.renotifyS);
    if (!t) return;
    this.ctx.notify({
      state: t === "resolve" ? "resolved" : "firing", log: "", count, windowS: this.opts.windowS, group, events: [],
      fromMs: nowMs - this.opts.windowS * 1000, toMs: nowMs, value,
    });
    this.ctx.history(t === "resolve" ? "resolved" : "firing", { group, value, count, ...(t === "renotify" ? { renotify: true } : {}) });
    this.ctx.changed();
  }
}
