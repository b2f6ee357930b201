// route: several sinks, each with its own filter (filter/predicate.ts), so errors can go to one
// place and everything to another. A sink without a filter takes every entry. `split` hands each
// sink its share of a chunk of entries, in order, as the same entry objects (no copies).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
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
