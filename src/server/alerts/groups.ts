// The firing state of an alert's groups, one rule for every trigger: a group fires once when it
// crosses, stays firing without repeating until `renotifyS` has passed (0: never repeats), and
// resolves once when it recovers. The state lives in AlertState.firing, which the engine saves, so a
// restart neither repeats a firing nor forgets one.
import type { AlertState } from "./model.js";

export type Transition = "fire" | "renotify" | "resolve";

/** The key of a group: "" without groupby, else the JSON of its values in groupby order. */
export function groupKey(values: Record<string, string>): string {
  const names = Object.keys(values);
  return names.length === 0 ? "" : JSON.stringify(names.map((n) => [n, values[n]]));
}

/**
 * What happens to a group that is now `breached` (or not) at `nowMs`; updates `state` and returns
 * the transition to notify, or undefined when nothing is to be said.
 */
export function step(state: AlertState, key: string, group: Record<string, string>, breached: boolean, nowMs: number, renotifyS: number): Transition | undefined {
  const cur = state.firing[key];
  if (breached) {
    if (!cur) {
      state.firing[key] = { sinceMs: nowMs, notifiedMs: nowMs, group };
      state.lastFiredMs = nowMs;
      return "fire";
    }
    if (renotifyS > 0 && nowMs - cur.notifiedMs >= renotifyS * 1000) {
      cur.notifiedMs = nowMs;
      return "renotify";
    }
    return undefined;
  }
  if (!cur) return undefined;
  delete state.firing[key];
  return "resolve";
}

/** The alert's status from its groups (an error is kept by the engine until an evaluation succeeds). */
export function statusOf(state: AlertState): AlertState["status"] {
  if (state.error !== undefined) return "error";
  return Object.keys(state.firing).length > 0 ? "firing" : "ok";
}
