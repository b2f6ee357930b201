// A hard deadline for work that cannot stop between steps: one long SQLite statement calls back
// into JavaScript for every row it tests (regular expressions, case-insensitive matching), and
// those callbacks check the deadline set around the query; past it they throw, which aborts the
// statement. Statements that call no JavaScript cannot be interrupted this way (better-sqlite3
// has no interrupt): the query thread's termination (core/threads/request-thread.ts) is the backstop.
import { performance } from "node:perf_hooks";

/** Thrown inside a statement once the deadline has passed. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms passed`);
    this.name = "DeadlineExceeded";
  }
}

let until: number | undefined;
let ms = 0;
let calls = 0;

/** Runs `fn` (synchronous) with a deadline `limitMs` from now; nested calls keep the earlier deadline. */
export function withDeadline<T>(limitMs: number, fn: () => T): T {
  const prev = until;
  const prevMs = ms;
  const at = performance.now() + limitMs;
  if (prev === undefined || at < prev) {
    until = at;
    ms = limitMs;
  }
  try {
    return fn();
  } finally {
    until = prev;
    ms = prevMs;
  }
}

/** Throws DeadlineExceeded when a deadline is set and has passed (reads the clock every 256 calls). */
export function checkDeadline(): void {
  if (until !== undefined && (++calls & 255) === 0 && performance.now() > until) throw new DeadlineExceeded(ms);
}
