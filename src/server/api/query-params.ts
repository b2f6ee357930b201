// Parameters shared by the query, fields and tail endpoints: logs by name or id, time range, limit.
import { LogharborError } from "../../core/errors.js";
import { formatIsoUs, parseTimeUs } from "../../core/time.js";
import type { Store } from "../storage/store.js";

export const ALL_TIME = { fromUs: 0, toUs: Number.MAX_SAFE_INTEGER };

/** Log names or ids (comma-separated in one string, or a list) → log ids; 404 naming the unknown one. */
export function logIdsOf(store: Store, logs: unknown, label = "log"): string[] {
  const list = Array.isArray(logs) ? logs : typeof logs === "string" ? logs.split(",") : logs === undefined || logs === null ? [] : [logs];
  const ids: string[] = [];
  for (const raw of list) {
    if (typeof raw !== "string") throw new LogharborError("LH_ERR_QUERY_PARAM", `${label}: expected log names or ids, got ${JSON.stringify(raw)}`);
    const name = raw.trim();
    if (name === "") continue;
    const log = store.logById(name) ?? store.logByName(name);
    if (!log) throw new LogharborError("LH_ERR_LOG_NOT_FOUND", `${label}: no log named "${name.slice(0, 80)}"; \`logharbor logs list\` shows the logs`, { status: 404 });
    if (!ids.includes(log.id)) ids.push(log.id);
  }
  return ids;
}

/** A time parameter: a time expression (see core/time.ts) or a number of epoch milliseconds. */
export function timeParam(v: unknown, label: string, fallback: number): number {
  if (v === undefined || v === null || v === "") return fallback;
  if (typeof v === "number" && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v !== "string") throw new LogharborError("LH_ERR_TIME", `${label}: expected a time such as -1h or epoch milliseconds, got ${JSON.stringify(v)}`);
  if (/^\d{1,16}$/.test(v)) return Number(v) * 1000;
  return parseTimeUs(v, { label });
}

export function intParam(v: unknown, label: string, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null || v === "") return fallback;
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `${label}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

export function stringParam(v: unknown, label: string): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (Array.isArray(v)) throw new LogharborError("LH_ERR_QUERY_PARAM", `${label}: expected one value, got ${v.length}`);
  if (typeof v !== "string") throw new LogharborError("LH_ERR_QUERY_PARAM", `${label}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** A time range [fromUs, toUs) whose start is after its end is refused (it could only ever match nothing). */
export function checkedRange(fromUs: number, toUs: number): { fromUs: number; toUs: number } {
  if (fromUs > toUs) {
    throw new LogharborError(
      "LH_ERR_TIME",
      `from/to: the time range is inverted: from ${formatIsoUs(fromUs)} is after to ${formatIsoUs(toUs)}; give the earlier time as from (e.g. --from -1h --to now)`,
    );
  }
  return { fromUs, toUs };
}
