// journalctl command lines: which journal (--directory, --file, --namespace, --merge), the export
// format, follow mode, and the start position (--cursor, --after-cursor, --since).
import type { SeekPosition } from "../source.js";

export interface JournalSelection {
  directory?: string;
  files?: string[];
  namespace?: string;
  merge?: boolean;
}

export function selectionArgs(sel: JournalSelection): string[] {
  const out: string[] = [];
  if (sel.directory !== undefined) out.push(`--directory=${sel.directory}`);
  for (const f of sel.files ?? []) out.push(`--file=${f}`);
  if (sel.namespace !== undefined) out.push(`--namespace=${sel.namespace}`);
  if (sel.merge) out.push("--merge");
  return out;
}

function positionArgs(pos: SeekPosition): string[] {
  switch (pos.kind) {
    case "head":
      return [];
    case "at":
      return [`--cursor=${pos.cursor}`];
    case "after":
      return [`--after-cursor=${pos.cursor}`];
    case "since": {
      const sec = Math.floor(pos.us / 1e6);
      const frac = String(pos.us - sec * 1e6).padStart(6, "0");
      return [`--since=@${sec}.${frac}`];
    }
  }
}

/**
 * Arguments to stream entries from a position. --no-tail matters: with --follow, journalctl would
 * otherwise begin with the last 10 entries instead of the position asked for.
 */
export function streamArgs(sel: JournalSelection, pos: SeekPosition, follow: boolean): string[] {
  return ["--output=export", "--no-pager", "--no-tail", ...(follow ? ["--follow"] : []), ...selectionArgs(sel), ...positionArgs(pos)];
}
