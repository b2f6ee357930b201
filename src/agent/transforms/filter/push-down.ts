// Filter push-down: the conditions of the filters at the head of the transform chain that the
// journal can apply itself become journal matches for the source (journalctl match arguments,
// gatewayd query arguments), so entries the filter would drop are never read, sent through a pipe
// and parsed. Only leading filters (before any transform that changes, joins or holds entries)
// qualify, and only conditions a match expresses: unit includes without glob characters
// (`nginx` → _SYSTEMD_UNIT=nginx or nginx.service), a priority (PRIORITY=0 ... PRIORITY=n) and
// field matches. What is pushed down is the same set or a larger one — exclusions, globs and
// message expressions stay with the agent — and the filter still runs on every entry, so the
// result is exactly the same; push-down only saves work.
import { FIELD_PRIORITY, FIELD_SYSTEMD_UNIT } from "../../../core/journal/fields.js";
import type { JournalMatches, MatchGroup } from "../../sources/matches.js";
import type { TransformConfig } from "../config.js";
import type { FilterSpec } from "./predicate.js";
import { parsePriority } from "./priority.js";

/** More groups than this (a product of many OR-ed conditions) and a condition is left to the agent. */
const MAX_GROUPS = 64;

/** The journal matches the chain's leading filters allow, or undefined when there are none. */
export function pushDownMatches(chain: readonly TransformConfig[]): JournalMatches | undefined {
  let m: MatchGroup[] | undefined;
  for (const t of chain) {
    if (t.verb !== "filter") break;
    for (const c of conditions(t.spec)) {
      const next = m === undefined ? c : and(m, c);
      if (next.length === 0) return undefined; // the filter can never pass: nothing to push down
      if (next.length <= MAX_GROUPS) m = next;
    }
  }
  return m;
}

/** Each pushable condition of one filter as groups (OR of groups). */
function conditions(spec: FilterSpec): MatchGroup[][] {
  const out: MatchGroup[][] = [];
  const include = spec.units?.include;
  if (include?.length && include.every((u) => !/[*?[]/.test(u) && !u.includes("\uFFFD"))) {
    out.push([{ [FIELD_SYSTEMD_UNIT]: [...new Set(include.flatMap((u) => (u.includes(".") ? [u] : [u, `${u}.service`])))] }]);
  }
  if (spec.priority !== undefined) {
    const r = parsePriority(spec.priority);
    if (typeof r !== "string") {
      const values: string[] = [];
      for (let p = r.min; p <= r.max; p++) values.push(String(p));
      out.push([{ [FIELD_PRIORITY]: values }]);
    }
  }
  if (spec.matches?.length) out.push(spec.matches.map((g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, [v]]))));
  return out;
}

/** (A1 or A2 ...) and (B1 or B2 ...), as groups: each pair merged, impossible pairs left out. */
function and(a: readonly MatchGroup[], b: readonly MatchGroup[]): MatchGroup[] {
  const out: MatchGroup[] = [];
  for (const x of a) {
    for (const y of b) {
      const g: Record<string, readonly string[]> = { ...x };
      let possible = true;
      for (const [field, values] of Object.entries(y)) {
        const have = g[field];
        const both = have === undefined ? values : have.filter((v) => values.includes(v));
        if (both.length === 0) possible = false;
        g[field] = both;
      }
      if (possible) out.push(g);
    }
  }
  return out;
}
