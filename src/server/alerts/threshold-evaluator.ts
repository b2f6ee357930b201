// The threshold trigger on counts, on the ingest path: each committed matching entry is added to its
// group's sliding window (by entry time: a late entry counts in the window it belongs to, one older
// than the window counts nowhere — it is noted in the history, once per tick, as "late"), and the
// groups it touched are compared at once; a tick every second slides every window, so a group that
// drops back resolves. Until a whole window has been watched since the start, the counts are partial:
// a group may fire (its count can only grow) but is not resolved (nor fired, with `below`), so a
// restart never sends a false "resolved".
import { fieldValues } from "../query/match.js";
import type { EventFilter } from "../query/event-filter.js";
import type { PlannedField } from "../query/plan.js";
import type { StoredEvent } from "../storage/store.js";
import type { Evaluator, EvaluatorContext } from "./evaluator.js";
import { groupKey, step } from "./groups.js";
import { Samples } from "./samples.js";
import { SlidingWindow } from "./sliding-window.js";

interface GroupWindow {
  /** The group's key in AlertState.firing. */
  key: string;
  group: Record<string, string>;
  window: SlidingWindow;
  samples: Samples;
}

/** A group's values, by the groupby fields as written; a missing field is "". */
export function groupOf(fields: readonly PlannedField[], e: Parameters<typeof fieldValues>[0]): Record<string, string> {
  const g: Record<string, string> = {};
  for (const f of fields) g[f.written] = String(fieldValues(e, f.field)[0] ?? "");
  return g;
}

export class ThresholdEvaluator implements Evaluator {
  readonly tickMs = 1000;
  /** By the group's key (AlertState.firing). */
  private readonly groups = new Map<string, GroupWindow>();
  /** By the group's values joined with NUL (cheaper to make than its key, for every entry). */
  private readonly byValues = new Map<string, GroupWindow>();
  private late = 0;

  constructor(
    private readonly ctx: EvaluatorContext,
    private readonly passing: EventFilter,
    private readonly groupby: readonly PlannedField[],
    private readonly opts: { count: number; windowS: number; below: boolean },
  ) {
    if (groupby.length === 0) this.windowOf("", {});
  }

  onEvents(events: readonly StoredEvent[], nowMs: number): void {
    const touched = new Set<string>();
    let n = 0;
    for (const e of events) {
      const v = this.passing(e);
      if (!v) continue;
      n++;
      let raw = "";
      for (const f of this.groupby) raw += `${fieldValues(v, f.field)[0] ?? ""}\u0000`;
      let w = this.byValues.get(raw);
      if (!w) {
        const group = groupOf(this.groupby, v);
        w = this.windowOf(groupKey(group), group);
        this.byValues.set(raw, w);
      }
      if (w.window.add(e.tsUs / 1000, nowMs)) {
        w.samples.add(v);
        touched.add(w.key);
      } else {
        this.late++;
      }
    }
    if (n > 0) this.ctx.matched(n, nowMs);
    for (const key of touched) this.evaluate(key, nowMs);
  }

  tick(nowMs: number): void {
    if (this.late > 0) {
      this.ctx.history("late", { entries: this.late, reason: `older than the ${this.opts.windowS} s window when they arrived: counted in no window` });
      this.late = 0;
    }
    for (const key of [...this.groups.keys()]) this.evaluate(key, nowMs);
  }

  private windowOf(key: string, group: Record<string, string>): GroupWindow {
    let w = this.groups.get(key);
    if (!w) this.groups.set(key, (w = { key, group, window: new SlidingWindow(this.opts.windowS), samples: new Samples() }));
    return w;
  }

  private evaluate(key: string, nowMs: number): void {
    const w = this.groups.get(key)!;
    const count = w.window.count(nowMs);
    const warm = nowMs - this.ctx.watchSinceMs >= this.opts.windowS * 1000;
    const breached = this.opts.below ? count < this.opts.count : count > this.opts.count;
    const firing = this.ctx.state.firing[key] !== undefined;
    // Partial counts: above may fire but not resolve; below may resolve but not fire.
    if (!warm && (this.opts.below ? breached && !firing : !breached && firing)) return;
    const t = step(this.ctx.state, key, w.group, breached, nowMs, this.ctx.def.renotifyS);
    if (t) {
      const s = w.samples;
      this.ctx.notify({
        state: t === "resolve" ? "resolved" : "firing", log: s.log, count, windowS: this.opts.windowS, group: w.group,
        events: t === "resolve" ? [] : s.events, fromMs: nowMs - this.opts.windowS * 1000, toMs: nowMs,
      });
      this.ctx.history(t === "resolve" ? "resolved" : "firing", { group: w.group, count, ...(t === "renotify" ? { renotify: true } : {}) });
      this.ctx.changed();
      w.samples = new Samples();
    }
    // A group that is quiet and empty is forgotten (the group "" of an alert without groupby stays).
    if (!this.ctx.state.firing[key] && w.window.empty && key !== "") {
      this.groups.delete(key);
      for (const [raw, x] of this.byValues) if (x === w) this.byValues.delete(raw);
    }
  }
}
