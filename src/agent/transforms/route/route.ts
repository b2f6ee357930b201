// route: several sinks, each with its own filter (filter/predicate.ts), so errors can go to one
// place and everything to another. A sink without a filter takes every entry. `split` hands each
// sink its share of a chunk of entries, in order, as the same entry objects (no copies). The
// pipeline splits every batch this way, one route per destination (routesFor).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import type { TransformConfig } from "../config.js";
import { compileFilter, type FilterSpec, type Predicate } from "../filter/predicate.js";

export interface RouteSpec {
  /** The sink's name (its --to display or the name given in the configuration). */
  sink: string;
  filter?: FilterSpec;
}

export class Router {
  readonly sinks: readonly string[];
  /** Entries each sink was given. */
  readonly routed: number[];
  private readonly preds: (Predicate | undefined)[];
  private readonly shares: ExportEntry[][];

  constructor(routes: readonly RouteSpec[]) {
    this.sinks = routes.map((r) => r.sink);
    this.preds = routes.map((r) => (r.filter === undefined ? undefined : compileFilter(r.filter)));
    this.shares = routes.map(() => []);
    this.routed = routes.map(() => 0);
  }

  /** Whether any sink has a filter (when none has, every sink takes the chunk as it is). */
  get filtered(): boolean {
    return this.preds.some((p) => p !== undefined);
  }

  /** Each sink's share of the entries, in order; the arrays are reused by the next call. */
  split(entries: readonly ExportEntry[]): readonly (readonly ExportEntry[])[] {
    for (let s = 0; s < this.preds.length; s++) {
      const p = this.preds[s];
      const share = this.shares[s]!;
      share.length = 0;
      if (p === undefined) {
        for (let i = 0; i < entries.length; i++) share.push(entries[i]!);
      } else {
        for (let i = 0; i < entries.length; i++) if (p(entries[i]!)) share.push(entries[i]!);
      }
      this.routed[s]! += share.length;
    }
    return this.shares;
  }
}

/**
 * The routes of the destinations (their --to URLs as displayed, in order) from the chain's `route`
 * item: a destination named by position or URL gets the entries its filter keeps (all of them
 * without a filter); a destination the item does not name gets every entry. Undefined when there
 * is no route item. Throws naming the route when it names no destination or one twice.
 */
export function routesFor(destinations: readonly string[], chain: readonly TransformConfig[]): Router | undefined {
  const item = chain.find((c) => c.verb === "route");
  if (item === undefined || item.verb !== "route") return undefined;
  const problem = routeProblems(destinations, item.spec);
  if (problem !== undefined) throw new Error(problem);
  return new Router(
    destinations.map((d, i) => {
      const r = item.spec.find((x) => x.sink === i || x.sink === d);
      return r?.filter === undefined ? { sink: d } : { sink: d, filter: r.filter };
    }),
  );
}

/** What is wrong with the routes for these destinations, or undefined. */
export function routeProblems(destinations: readonly string[], routes: readonly { sink: number | string }[]): string | undefined {
  const seen = new Set<number>();
  for (const [k, r] of routes.entries()) {
    const i = typeof r.sink === "number" ? (r.sink < destinations.length ? r.sink : -1) : destinations.indexOf(r.sink);
    if (i < 0) {
      return `transforms: route[${k}].sink: expected a destination's position (0 to ${destinations.length - 1}) or its URL as given with --to (${destinations.join(", ")}), got ${JSON.stringify(r.sink)}`;
    }
    if (seen.has(i)) return `transforms: route[${k}].sink: destination ${JSON.stringify(destinations[i])} is routed twice; give each destination one route (one filter: its conditions, or match groups for alternatives)`;
    seen.add(i);
  }
  return undefined;
}
