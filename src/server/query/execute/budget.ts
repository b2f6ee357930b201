// The time budget of one query: the executor checks it between steps and, when it is used up,
// stops and answers with what it has, marked partial with the reason.
import { performance } from "node:perf_hooks";

export const DEFAULT_QUERY_BUDGET_MS = 10_000;

export class Budget {
  private readonly start: number;
  constructor(
    readonly ms: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.start = clock();
  }

  elapsed(): number {
    return this.clock() - this.start;
  }

  remaining(): number {
    return this.ms - this.elapsed();
  }

  exceeded(): boolean {
    return this.elapsed() >= this.ms;
  }
}

/** Why a result is incomplete, and which part of the range it covers. */
export interface Partial {
  reason: string;
  /** The part of the range that was scanned completely, microseconds. */
  scannedFromUs: number;
  scannedToUs: number;
}
