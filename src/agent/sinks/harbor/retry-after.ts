// Retry-After (RFC 9110): delay-seconds or an HTTP date. Returns milliseconds, or undefined.
export function parseRetryAfter(value: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return undefined;
  const s = v.trim();
  if (/^\d{1,9}$/.test(s)) return Number(s) * 1000;
  if (!/^[A-Za-z]{3}, /.test(s)) return undefined; // IMF-fixdate: "Wed, 01 May 2024 12:00:05 GMT"
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}
