// Loki stream labels from journal fields, with bounded cardinality: each label keeps at most
// `maxValues` distinct values; later new values become "other" (counted), so a busy host cannot
// create an unbounded number of streams. PRIORITY becomes its name (err, info, ...).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_PRIORITY } from "../../../core/journal/fields.js";
import { PRIORITY_NAMES } from "../../transforms/filter/priority.js";

/** label name → journal field. */
export type LabelMap = Readonly<Record<string, string>>;

export const DEFAULT_LOKI_LABELS: LabelMap = { host: "_HOSTNAME", unit: "_SYSTEMD_UNIT", level: FIELD_PRIORITY };
export const DEFAULT_MAX_LABEL_VALUES = 100;
export const OVERFLOW_VALUE = "other";
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class LabelSet {
  /** Values replaced by "other" because their label was full. */
  overflowed = 0;
  private readonly pairs: [label: string, field: string][];
  private readonly seen = new Map<string, Set<string>>();
  private readonly maxValues: number;
  private readonly staticLabels: Record<string, string>;

  constructor(labels: LabelMap, maxValues = DEFAULT_MAX_LABEL_VALUES, staticLabels: Record<string, string> = { job: "logharbor" }) {
    this.pairs = Object.entries(labels);
    this.maxValues = maxValues;
    this.staticLabels = staticLabels;
    for (const [l] of this.pairs) this.seen.set(l, new Set());
  }

  /** The entry's labels and their stream key (Loki's label string, sorted). */
  of(entry: ExportEntry): { labels: Record<string, string>; key: string } {
    const labels: Record<string, string> = { ...this.staticLabels };
    for (const [label, field] of this.pairs) {
      let v = entry.get(field);
      if (v === undefined || v === "") continue;
      if (field === FIELD_PRIORITY && /^[0-7]$/.test(v)) v = PRIORITY_NAMES[Number(v)]!;
      const seen = this.seen.get(label)!;
      if (!seen.has(v)) {
        if (seen.size >= this.maxValues) {
          this.overflowed++;
          v = OVERFLOW_VALUE;
        } else seen.add(v);
      }
      labels[label] = v;
    }
    const key = "{" + Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(",") + "}";
    return { labels, key };
  }
}
