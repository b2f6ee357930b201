// Splits a time range into chunks, newest first (or oldest first), so that a long scan can stop
// between two of them when the time budget runs out. Chunks start small (1/256 of the range) and
// double while the budget allows, so a query over a range that answers quickly costs a handful of
// statements; the next chunk is shrunk to what the remaining budget can scan at the rate seen so far.
import type { Budget } from "./budget.js";

export const FIRST_CHUNK_DIVISOR = 256;
const MIN_CHUNK_US = 1_000_000;

export interface Chunk {
  fromUs: number;
  toUs: number;
}

export function* timeChunks(fromUs: number, toUs: number, order: "asc" | "desc", budget: Budget): Generator<Chunk, void, undefined> {
  const span = toUs - fromUs;
  if (span <= 0) return;
  let size = Math.max(MIN_CHUNK_US, Math.ceil(span / FIRST_CHUNK_DIVISOR));
  let covered = 0;
  let cur = order === "desc" ? toUs : fromUs;
  while (order === "desc" ? cur > fromUs : cur < toUs) {
    if (covered > 0) {
      const elapsed = budget.elapsed();
      const rate = elapsed / covered; // ms per microsecond of range
      const fits = rate > 0 ? Math.floor((budget.remaining() * 0.9) / rate) : Infinity;
      size = Math.max(MIN_CHUNK_US, Math.min(size * 2, fits));
    }
    const next = order === "desc" ? Math.max(fromUs, cur - size) : Math.min(toUs, cur + size);
    const chunk = order === "desc" ? { fromUs: next, toUs: cur } : { fromUs: cur, toUs: next };
    yield chunk;
    covered += chunk.toUs - chunk.fromUs;
    cur = next;
  }
}
