// STATE/reports.jsonl: one JSON line per loss the agent could not prevent and must not hide —
// a journal gap (the saved cursor's entry was vacuumed before it was read) or damaged records in a
// disk buffer. `logharbor ship --status` shows them.
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const REPORTS_FILE = "reports.jsonl";

export type Report =
  | { kind: "journal_gap"; at: string; after_cursor: string; resumed_at_cursor: string | null; missing_entries: number | null; missing_seconds: number | null }
  | { kind: "buffer_damage"; at: string; sink: string; segment: string; offset: number; bytes: number; lost_after_cursor: string | null; lost_before_cursor: string | null; lost_through_cursor: string | null };

type Body<R> = R extends unknown ? Omit<R, "at"> : never;

export function appendReport(stateDir: string, r: Body<Report>): void {
  try {
    appendFileSync(join(stateDir, REPORTS_FILE), JSON.stringify({ ...r, at: new Date().toISOString() }) + "\n");
  } catch {
    // the log line was written already; the state directory's problems surface elsewhere
  }
}

export function readReports(stateDir: string): Report[] {
  try {
    return readFileSync(join(stateDir, REPORTS_FILE), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Report);
  } catch {
    return [];
  }
}
