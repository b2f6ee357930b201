// Syslog priorities as journalctl -p takes them: a name or number (that level and everything more
// severe) or a range FROM..TO (e.g. emerg..err, 0..3).

export const PRIORITY_NAMES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"] as const;

const ALIASES: Record<string, number> = { panic: 0, error: 3, warn: 4 };

function level(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (/^[0-7]$/.test(t)) return Number(t);
  const i = (PRIORITY_NAMES as readonly string[]).indexOf(t);
  if (i >= 0) return i;
  return ALIASES[t];
}

/** The inclusive range [min, max] of numeric priorities, or a problem message. */
export function parsePriority(spec: string): { min: number; max: number } | string {
  const parts = spec.split("..");
  const expected = `expected a priority (${PRIORITY_NAMES.join(", ")} or 0-7) or a range such as emerg..err, got ${JSON.stringify(spec)}`;
  if (parts.length === 1) {
    const l = level(parts[0]!);
    return l === undefined ? expected : { min: 0, max: l };
  }
  if (parts.length !== 2) return expected;
  const a = level(parts[0]!);
  const b = level(parts[1]!);
  if (a === undefined || b === undefined) return expected;
  return { min: Math.min(a, b), max: Math.max(a, b) };
}
