// The time budget of one query: the executor checks it between steps and, when it is used up,
// stops and answers with what it has, marked partial with the reason. A single step that runs far
// past the budget (one long SQL statement) is stopped from inside (runWithinBudget).
import { performance } from "node:perf_hooks";
import { LogharborError } from "../../../core/errors.js";
import { DeadlineExceeded, withDeadline } from "../../../core/deadline.js";

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

/** How long one query may run before a step is stopped from inside: its budget and half again, at least 2 s more. */
export function statementDeadlineMs(budgetMs: number): number {
  return budgetMs + Math.max(2000, budgetMs / 2);
}

/**
 * Runs a query (synchronous) under the hard deadline of its budget: a statement still running then
 * is aborted, and the caller gets 503 LH_ERR_QUERY_TIMEOUT naming the budget.
 */
export function runWithinBudget<T>(budgetMs: number, fn: () => T): T {
  const limit = statementDeadlineMs(budgetMs);
  try {
    return withDeadline(limit, fn);
  } catch (e) {
    if (!(e instanceof DeadlineExceeded)) throw e;
    throw new LogharborError(
      "LH_ERR_QUERY_TIMEOUT",
      `query: stopped after ${Math.round(limit)} ms inside one step of the scan, past its time budget of ${budgetMs} ms; narrow the time range or make the query more selective`,
      { status: 503 },
    );
  }
}
