// The match trigger: every matching entry, batched. The first match is told at once; the ones after
// it wait until `throttleS` has passed since the previous notification, then go in one, with their
// true count and the first samples. A catch-up flood of old entries therefore makes one notification
// per throttle period, never a storm. The alert shows as firing while notifications go out, and goes
// back to ok (quietly: a pattern has nothing to resolve) after a throttle period without a match.
import type { StoredEvent } from "../storage/store.js";
import type { EventFilter } from "../query/event-filter.js";
import type { Evaluator, EvaluatorContext } from "./evaluator.js";
import { Samples } from "./samples.js";

export class MatchEvaluator implements Evaluator {
  readonly tickMs = 1000;
  private pending = 0;
  private samples = new Samples();
  private periodStartMs = 0;
  private lastNotifiedMs = -Infinity;
  private lastMatchMs = -Infinity;

  constructor(private readonly ctx: EvaluatorContext, private readonly passing: EventFilter, private readonly throttleS: number) {}

  onEvents(events: readonly StoredEvent[], nowMs: number): void {
    let n = 0;
    for (const e of events) {
      const v = this.passing(e);
      if (!v) continue;
      if (this.pending === 0 && n === 0) this.periodStartMs = nowMs;
      n++;
      this.samples.add(v);
    }
    if (n === 0) return;
    this.ctx.matched(n, nowMs);
    this.pending += n;
    this.lastMatchMs = nowMs;
    this.flush(nowMs);
  }

  tick(nowMs: number): void {
    this.flush(nowMs);
    const st = this.ctx.state;
    if (st.firing[""] && this.pending === 0 && nowMs - this.lastMatchMs >= this.throttleS * 1000) {
      delete st.firing[""];
      this.ctx.history("resolved", { reason: `no match for ${this.throttleS} s` });
      this.ctx.changed();
    }
  }

  private flush(nowMs: number): void {
    if (this.pending === 0 || nowMs - this.lastNotifiedMs < this.throttleS * 1000) return;
    const s = this.samples;
    const st = this.ctx.state;
    st.firing[""] ??= { sinceMs: nowMs, notifiedMs: nowMs, group: {} };
    st.firing[""].notifiedMs = nowMs;
    st.lastFiredMs = nowMs;
    this.ctx.notify({
      state: "firing", log: s.log, count: this.pending, windowS: Math.max(1, Math.round((nowMs - this.periodStartMs) / 1000)),
      group: {}, events: s.events, fromMs: Math.floor(s.minUs / 1000), toMs: Math.ceil(s.maxUs / 1000) + 1,
    });
    this.ctx.history("firing", { count: this.pending });
    this.ctx.changed();
    this.lastNotifiedMs = nowMs;
    this.pending = 0;
    this.samples = new Samples();
  }
}
