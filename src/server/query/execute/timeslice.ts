// timeslice(): the time buckets of a statistics query.
// - timeslice(N): N equal buckets over the range (from the requested start; an open start or end
//   is taken from the data), the last one possibly cut short by the range's end.
// - timeslice(5m): buckets of that duration aligned to the epoch (so 12:00, 12:05, ...).
import { LogharborError } from "../../../core/errors.js";
import type { StatsPlan } from "../plan.js";
import type { Range } from "./range.js";

export const MAX_BUCKETS = 10_000;
/** Requests without a start (from = 0) or end use the data's bounds. */
const OPEN_END = Number.MAX_SAFE_INTEGER;

export interface Buckets {
  originUs: number;
  widthUs: number;
  count: number;
}

export function bucketsOf(ts: NonNullable<StatsPlan["timeslice"]>, range: Range): Buckets | undefined {
  const from = range.fromUs <= 0 ? range.scanFromUs : range.fromUs;
  const to = range.toUs >= OPEN_END ? range.scanToUs : range.toUs;
  if (to <= from) return undefined;
  if ("buckets" in ts) {
    const widthUs = Math.max(1, Math.ceil((to - from) / ts.buckets));
    return { originUs: from, widthUs, count: Math.ceil((to - from) / widthUs) };
  }
  const widthUs = ts.bucketMs * 1000;
  const originUs = Math.floor(from / widthUs) * widthUs;
  const count = Math.ceil((to - originUs) / widthUs);
  if (count > MAX_BUCKETS) {
    throw new LogharborError(
      "LH_ERR_QUERY_PARAM",
      `timeslice(${ts.bucketMs / 1000}s) over this range makes ${count} buckets; at most ${MAX_BUCKETS}: use a larger duration, a number of buckets, or a shorter range`,
    );
  }
  return { originUs, widthUs, count };
}
