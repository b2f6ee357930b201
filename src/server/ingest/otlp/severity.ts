// OTLP severity → syslog priority. severity_number (1..24) in ranges of four: TRACE and DEBUG →
// debug (7), INFO → info (6), WARN → warning (4), ERROR → err (3), FATAL → crit (2); without a
// number, severity_text read as a word (common/severity.ts); else none.
import { priorityOfWord } from "../common/severity.js";

const NAMES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;
const PRIORITIES = [7, 7, 6, 4, 3, 2] as const;

/** severity_number as a number 1..24, or 0 (unset or unknown). JSON may give the enum's name. */
export function severityNumberOf(x: unknown): number {
  let n = typeof x === "number" ? x : NaN;
  if (typeof x === "string") {
    const m = /^(?:SEVERITY_NUMBER_)?([A-Z]+)(\d?)$/.exec(x.trim().toUpperCase());
    const i = m ? NAMES.indexOf(m[1] as (typeof NAMES)[number]) : -1;
    n = /^\d+$/.test(x.trim()) ? Number(x) : i >= 0 ? i * 4 + (m![2] ? Number(m![2]) : 1) : NaN;
  }
  return Number.isInteger(n) && n >= 1 && n <= 24 ? n : 0;
}

export function priorityOfSeverity(num: number, text: string): number | null {
  if (num >= 1) return PRIORITIES[Math.floor((num - 1) / 4)]!;
  return text === "" ? null : priorityOfWord(text);
}

/** The short name of a severity number (INFO, WARN2, ...), for records without severity_text. */
export function severityName(num: number): string {
  if (num < 1) return "";
  const i = Math.floor((num - 1) / 4);
  const k = (num - 1) % 4;
  return k === 0 ? NAMES[i]! : `${NAMES[i]!}${k + 1}`;
}
