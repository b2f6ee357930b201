// Time expressions for --from/--to and the HTTP API, and the ISO form events are shown in.
// Accepted: "now"; relative "-30s", "-15m", "-1h", "-7d", "-2w" (that long ago); ISO-8601 dates and
// times ("2024-05-01", "2024-05-01T12:00", "2024-05-01T12:00:00.123456+02:00"; without a zone: UTC);
// epoch milliseconds (13 digits); as journalctl --since takes them: "today", "yesterday", "tomorrow"
// (midnight UTC) and "2 hours ago", "30 min ago", "1 day ago". Results are microseconds since the epoch.
import { LogharborError } from "./errors.js";

const UNIT_US: Readonly<Record<string, number>> = { s: 1e6, m: 60e6, h: 3600e6, d: 86400e6, w: 7 * 86400e6 };
const ACCEPTED = 'now, today, yesterday, "2 hours ago", -30s, -15m, -1h, -7d, -2w, an ISO-8601 date or time such as 2024-05-01 or 2024-05-01T12:00:00.000000Z (UTC when no zone is given), or epoch milliseconds (13 digits)';
const DAY_US = 86400e6;
const DAYS: Readonly<Record<string, number>> = { today: 0, yesterday: -1, tomorrow: 1 };
const AGO = /^(\d{1,9})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?|w|weeks?)\s+ago$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function nowUs(): number {
  return Date.now() * 1000;
}

function bad(input: string, label: string): never {
  throw new LogharborError("LH_ERR_TIME", `${label}: expected ${ACCEPTED}; got "${input}"`);
}

/** Parses a time expression to microseconds since the epoch; `label` names the input in errors. */
export function parseTimeUs(input: string, opts: { label?: string; now?: number } = {}): number {
  const label = opts.label ?? "time";
  const s = input.trim();
  const now = opts.now ?? nowUs();
  if (s.toLowerCase() === "now") return now;
  const rel = /^-(\d{1,9})([smhdw])$/.exec(s);
  if (rel) return now - Number(rel[1]) * UNIT_US[rel[2]!]!;
  if (/^\d{13}$/.test(s)) return Number(s) * 1000;
  const day = DAYS[s.toLowerCase()];
  if (day !== undefined) return (Math.floor(now / DAY_US) + day) * DAY_US;
  const ago = AGO.exec(s);
  if (ago) return now - Number(ago[1]) * UNIT_US[ago[2]!.toLowerCase()[0]!]!;
  const m = ISO.exec(s);
  if (!m) bad(input, label);
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zone] = m;
  const Y = Number(y), M = Number(mo), D = Number(d), H = Number(h), MI = Number(mi), S = Number(sec);
  const ms = Date.UTC(Y, M - 1, D, H, MI, S);
  const back = new Date(ms);
  if (M < 1 || M > 12 || back.getUTCDate() !== D || back.getUTCMonth() !== M - 1 || H > 23 || MI > 59 || S > 59) {
    throw new LogharborError("LH_ERR_TIME", `${label}: "${input}" is not a valid calendar date and time; expected ${ACCEPTED}`);
  }
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    offsetMin = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? "0"));
  }
  const fracUs = Number(frac.padEnd(6, "0").slice(0, 6));
  return (ms - offsetMin * 60000) * 1000 + fracUs;
}

/**
 * A duration as flags take it: 0, 90s, 15m, 2h, 30d, 2w (a bare number is seconds) → seconds;
 * undefined when it is not one.
 */
export function durationSeconds(text: string): number | undefined {
  const m = /^(\d{1,7})([smhdw]?)$/.exec(text.trim());
  return m ? (Number(m[1]) * (m[2] === "" ? 1e6 : UNIT_US[m[2]!]!)) / 1e6 : undefined;
}

/** Seconds in the largest unit that divides them: 604800 → "1w", 90 → "90s", 0 → "0". */
export function formatDuration(seconds: number): string {
  for (const [unit, us] of [["w", UNIT_US["w"]!], ["d", UNIT_US["d"]!], ["h", UNIT_US["h"]!], ["m", UNIT_US["m"]!]] as const) {
    const n = (seconds * 1e6) / us;
    if (seconds > 0 && Number.isInteger(n)) return `${n}${unit}`;
  }
  return seconds === 0 ? "0" : `${seconds}s`;
}

/** ISO-8601 in UTC with microseconds: 2024-05-01T12:00:00.123456Z. */
export function formatIsoUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // ...SS.mmmZ
  const micro = String(((us % 1000) + 1000) % 1000).padStart(3, "0");
  return `${iso.slice(0, -1)}${micro}Z`;
}
