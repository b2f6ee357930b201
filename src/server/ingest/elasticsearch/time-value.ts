// A document's time field as microseconds since the epoch: RFC 3339 / ISO 8601 text (fractions
// to the microsecond, a zone or UTC), or a number of seconds, milliseconds, microseconds or
// nanoseconds since the epoch (told apart by size, as VictoriaLogs does). undefined when it is not a time.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function timeValueUs(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? epochUs(v) : undefined;
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return epochUs(Number(s));
  const m = ISO.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zone = "Z"] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (!Number.isFinite(ms)) return undefined;
  if (zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const off = (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    ms += z[1] === "+" ? -off : off;
  }
  return ms * 1000 + Number(frac.padEnd(6, "0").slice(0, 6));
}

function epochUs(n: number): number {
  if (n < 1e11) return Math.round(n * 1e6); // seconds
  if (n < 1e14) return Math.round(n * 1e3); // milliseconds
  if (n < 1e17) return Math.round(n); // microseconds
  return Math.floor(n / 1e3); // nanoseconds
}
