// One statistic being computed (for the whole range, a group, or a time bucket): counts, sum,
// extremes, message bytes, and, when the function needs them, every number (percentiles) or every
// distinct value (unique). Rows aggregated by the store merge in; single values add one at a time.
import type { CalcFn } from "../ast.js";
import type { AggregateRow } from "../../storage/store.js";

/** A value as a number when it is one ("500", " 2.5 ", 7), else null: as the store reads it. */
export function asNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "string" || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export class Accumulator {
  count = 0;
  present = 0;
  numeric = 0;
  sum = 0;
  min: number | null = null;
  max: number | null = null;
  bytes = 0;
  private readonly values: number[] | undefined;
  private readonly distinct: Set<string> | undefined;

  constructor(fn: CalcFn) {
    if (fn === "percentile" || fn === "median") this.values = [];
    if (fn === "unique") this.distinct = new Set();
  }

  addRow(r: AggregateRow): void {
    this.count += r.count;
    this.present += r.present;
    this.numeric += r.numeric;
    this.sum += r.sum;
    this.bytes += r.bytes;
    if (r.min !== null && (this.min === null || r.min < this.min)) this.min = r.min;
    if (r.max !== null && (this.max === null || r.max > this.max)) this.max = r.max;
  }

  add(value: unknown, bytes: number): void {
    this.count++;
    this.bytes += bytes;
    if (value === null || value === undefined) return;
    this.present++;
    this.distinct?.add(typeof value === "string" ? value : String(value));
    const n = asNumber(value);
    if (n === null) return;
    this.numeric++;
    this.sum += n;
    if (this.min === null || n < this.min) this.min = n;
    if (this.max === null || n > this.max) this.max = n;
    this.values?.push(n);
  }

  /** The calculated value; null when there is nothing to compute it from. */
  result(fn: CalcFn, percentile = 50): number | null {
    switch (fn) {
      case "count":
        return this.count;
      case "bytes":
        return this.bytes;
      case "sum":
        return this.sum;
      case "average":
        return this.numeric === 0 ? null : this.sum / this.numeric;
      case "min":
        return this.min;
      case "max":
        return this.max;
      case "unique":
        return this.distinct?.size ?? 0;
      case "median":
        return percentileOf(this.values ?? [], 50);
      case "percentile":
        return percentileOf(this.values ?? [], percentile);
    }
  }
}

/**
 * The p-th percentile with linear interpolation between the closest ranks (numpy's default):
 * rank = p/100 * (n-1) over the sorted values. Sorts `values` in place.
 */
export function percentileOf(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const rank = (p * (values.length - 1)) / 100;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = values[lo]!;
  return lo === hi ? a : a + (values[hi]! - a) * (rank - lo);
}
