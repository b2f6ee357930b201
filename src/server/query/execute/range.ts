// The range a query runs over: the requested [from, to), narrowed to the stored events' time
// bounds (an open-ended request such as "all time" then scans only where data is).
import type { Store } from "../../storage/store.js";

export interface Range {
  /** As requested (to be reported back). */
  fromUs: number;
  toUs: number;
  /** Narrowed to the data; empty (scanFromUs >= scanToUs) when nothing is stored there. */
  scanFromUs: number;
  scanToUs: number;
}

export function queryRange(store: Store, logIds: string[], fromUs: number, toUs: number): Range {
  const b = store.timeBounds(logIds);
  if (!b) return { fromUs, toUs, scanFromUs: fromUs, scanToUs: fromUs };
  return { fromUs, toUs, scanFromUs: Math.max(fromUs, b.minUs), scanToUs: Math.min(toUs, b.maxUs + 1) };
}
