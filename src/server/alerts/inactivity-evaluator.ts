// The inactivity trigger: no matching entry for `forS`, per log, host or unit — a host that stopped
// shipping. "Last seen" is the time of the group's most recently received matching entry (capped at
// the server's clock; the fleet view's rule: an agent catching up on a backlog shows as silent until
// its entries are recent again, while its own report shows it alive), and silence is
// counted from when the server began watching, never from the epoch: after a restart a group is
// silent only once `forS` has passed since the start without an entry, and a group already firing
// before the restart (its state is saved) is not told again. Groups come from the entries seen and
// from `seed` (the fleet's activity record, or a query at start); one evaluation is a pass over a map
// (10,000 hosts: well under a millisecond).
import type { EventFilter } from "../query/event-filter.js";
import type { StoredEvent } from "../storage/store.js";
import type { Evaluator, EvaluatorContext } from "./evaluator.js";
import { groupKey, step } from "./groups.js";
import type { InactivityPer } from "./model.js";
import { sampleOf } from "./samples.js";
import type { SampleEvent } from "./model.js";

/** The name a group's value goes by in notifications and in the fleet view. */
export const PER_FIELD: Record<InactivityPer, string> = { host: "host", unit: "unit", log: "log" };

export function perValue(per: InactivityPer, e: StoredEvent): string | null {
  return per === "host" ? e.host : per === "unit" ? e.unit : e.logName;
}

interface Seen {
  lastMs: number;
  /** The group's key in AlertState.firing (computed once). */
  key?: string;
  last?: SampleEvent;
  log: string;
}

export class InactivityEvaluator implements Evaluator {
  readonly tickMs = 1000;
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly ctx: EvaluatorContext,
    private readonly passing: EventFilter,
    private readonly per: InactivityPer,
    private readonly forS: number,
  ) {
    // Groups firing before a restart stay known, so they resolve when their entries come back.
    for (const f of Object.values(ctx.state.firing)) {
      const v = f.group[PER_FIELD[per]];
      if (v !== undefined) this.seen.set(v, { lastMs: -Infinity, log: per === "log" ? v : "" });
    }
  }

  /** Groups known to have been active (value → when last seen, ms), e.g. from the fleet's record. */
  seed(groups: Iterable<[string, number]>): void {
    for (const [v, ms] of groups) {
      const cur = this.seen.get(v);
      if (!cur) this.seen.set(v, { lastMs: ms, log: this.per === "log" ? v : "" });
      else if (ms > cur.lastMs) cur.lastMs = ms;
    }
  }

  onEvents(events: readonly StoredEvent[], nowMs: number): void {
    let touched = false;
    let n = 0;
    for (const e of events) {
      const v = perValue(this.per, e);
      if (v === null || v === "") continue;
      if (!this.passing(e)) continue;
      n++;
      // The entry's own time, or now when its clock is ahead: the fleet view's rule (store.lastEntries).
      const at = Math.min(e.tsUs / 1000, nowMs);
      let s = this.seen.get(v);
      if (!s) this.seen.set(v, (s = { lastMs: at, log: e.logName }));
      s.lastMs = at;
      s.last = sampleOf(e);
      s.log = e.logName;
      touched ||= this.ctx.state.firing[this.keyOf(v)] !== undefined;
    }
    if (n > 0) this.ctx.matched(n, nowMs);
    if (touched) this.tick(nowMs);
  }

  tick(nowMs: number): void {
    const forMs = this.forS * 1000;
    const renotifyMs = this.ctx.def.renotifyS * 1000;
    const name = PER_FIELD[this.per];
    for (const [v, s] of this.seen) {
      const since = Math.max(s.lastMs, this.ctx.watchSinceMs);
      const silent = nowMs - since >= forMs;
      const key = (s.key ??= this.keyOf(v));
      const firing = this.ctx.state.firing[key];
      // Nothing to say (the common case, kept free of allocations: 10,000 hosts a second).
      if (silent === (firing !== undefined) && !(firing && renotifyMs > 0 && nowMs - firing.notifiedMs >= renotifyMs)) continue;
      // A firing group resolves only on an entry that came after it fired (not because a restart reset the clock).
      if (!silent && firing && s.lastMs < firing.sinceMs) continue;
      const group = { [name]: v };
      const t = step(this.ctx.state, key, group, silent, nowMs, this.ctx.def.renotifyS);
      if (!t) continue;
      const quietS = Math.round((nowMs - since) / 1000);
      this.ctx.notify({
        state: t === "resolve" ? "resolved" : "firing", log: this.per === "log" ? v : s.log, count: 0,
        windowS: t === "resolve" ? this.forS : quietS, group, events: s.last ? [s.last] : [],
        fromMs: since - forMs, toMs: nowMs,
      });
      this.ctx.history(t === "resolve" ? "resolved" : "firing", { group, silent_s: t === "resolve" ? 0 : quietS, ...(t === "renotify" ? { renotify: true } : {}) });
      this.ctx.changed();
    }
  }

  /** The groups firing now (their values): for the fleet view, which hosts are silent. */
  silentGroups(): Set<string> {
    const name = PER_FIELD[this.per];
    return new Set(Object.values(this.ctx.state.firing).map((f) => f.group[name]).filter((v): v is string => v !== undefined));
  }

  private keyOf(v: string): string {
    return groupKey({ [PER_FIELD[this.per]]: v });
  }
}
