// Resuming after a cursor when the journal applies matches. journalctl --after-cursor and
// gatewayd's Range CURSOR:1: seek to the cursor and then step over one *matching* entry: when the
// cursor's own entry does not satisfy the matches (a checkpoint saved before a filter was
// configured, or of an entry the matches leave out), the step lands on the first matching entry
// after it and skips it. So "after" is kept only when the cursor's entry matches; otherwise
// reading starts *at* the cursor, where the journal's first match is the first entry after it.
import type { ExportEntry } from "../../core/journal/export-entry.js";
import { entryMatches, type JournalMatches } from "./matches.js";
import { sameEntry } from "./reconnecting-source.js";
import type { SeekPosition } from "./source.js";

/** The position to open with matches; `entryAt` reads the entry a seek to the cursor lands on (no matches). */
export async function resumePosition(pos: SeekPosition, m: JournalMatches, entryAt: (cursor: string) => Promise<ExportEntry | undefined>): Promise<SeekPosition> {
  if (pos.kind !== "after") return pos;
  const e = await entryAt(pos.cursor);
  if (e !== undefined && e.cursor !== undefined && sameEntry(e.cursor, pos.cursor) && entryMatches(m, e)) return pos;
  return { kind: "at", cursor: pos.cursor };
}
