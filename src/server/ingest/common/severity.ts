// Severity words of other agents' protocols (OTLP severity_text, Loki's level label, an
// Elasticsearch document's log.level) as syslog priorities 0..7, or null when the word is unknown.
const WORDS: Readonly<Record<string, number>> = {
  emerg: 0, emergency: 0, panic: 0,
  alert: 1,
  crit: 2, critical: 2, fatal: 2,
  err: 3, error: 3, eror: 3,
  warn: 4, warning: 4,
  notice: 5,
  info: 6, information: 6, informational: 6,
  debug: 7, dbug: 7, trace: 7,
};

export function priorityOfWord(word: string): number | null {
  const w = word.trim().toLowerCase();
  const p = WORDS[w];
  if (p !== undefined) return p;
  // "ERROR2", "WARN3" (OTLP short names with a number), "fatal4".
  const m = /^([a-z]+)\d$/.exec(w);
  return m ? (WORDS[m[1]!] ?? null) : null;
}

/** A syslog priority given as a number 0..7 (or its text), else null. */
export function priorityOfNumber(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 7 ? n : null;
}
