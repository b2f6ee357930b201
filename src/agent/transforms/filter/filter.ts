// filter: keeps the entries that meet every condition of its spec (predicate.ts), drops the rest
// and counts both.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import type { Transform } from "../transform.js";
import { compileFilter, type FilterSpec, type Predicate } from "./predicate.js";

export class FilterTransform implements Transform {
  readonly name: string;
  readonly held = 0;
  kept = 0;
  dropped = 0;
  private readonly keep: Predicate;

  constructor(spec: FilterSpec, name = "filter") {
    this.name = name;
    this.keep = compileFilter(spec);
  }

  process(entry: ExportEntry, out: ExportEntry[]): void {
    if (this.keep(entry)) {
      this.kept++;
      out.push(entry);
    } else this.dropped++;
  }

  flush(): void {}

  counters(): Record<string, number> {
    return { kept: this.kept, dropped: this.dropped };
  }
}
