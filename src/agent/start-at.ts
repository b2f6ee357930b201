// --start-at: where to begin when there is no checkpoint.
//   boot    the first entry of the running boot, if the journal holds it; else everything
//   oldest  everything the journal holds
//   now     only entries written from now on
//   TIME    entries at or after a time (any form src/core/time.ts accepts: ISO-8601, -1h, ...)
import { LogharborError } from "../core/errors.js";
import { parseTimeUs } from "../core/time.js";
import type { StartPosition } from "./sources/source.js";

export function parseStartAt(input: string, nowUs?: number): StartPosition {
  const s = input.trim().toLowerCase();
  if (s === "boot" || s === "oldest" || s === "now") return { kind: s };
  try {
    return { kind: "time", us: parseTimeUs(input, { label: "--start-at", ...(nowUs === undefined ? {} : { now: nowUs }) }) };
  } catch (e) {
    if (!(e instanceof LogharborError)) throw e;
    throw new LogharborError(
      "LH_ERR_TIME",
      `--start-at: expected boot, oldest, now or a time (an ISO-8601 date or time such as 2024-05-01T12:00:00Z, or -30s, -15m, -1h, -7d, -2w); got ${JSON.stringify(input)}`,
    );
  }
}

export function formatStartPosition(p: StartPosition): string {
  switch (p.kind) {
    case "time":
      return `time ${new Date(Math.floor(p.us / 1000)).toISOString()}`;
    case "after":
      return `after cursor ${p.cursor}`;
    default:
      return p.kind;
  }
}
