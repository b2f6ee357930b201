// Journal cursors ("s=<seqnum id>;i=<seqnum>;b=<boot id>;m=<monotonic>;t=<realtime>;x=<xor hash>")
// and the identity of an entry, which the server deduplicates on.
import type { ExportEntry } from "./export-entry.js";
import { FIELD_BOOT_ID, FIELD_MONOTONIC_TIMESTAMP, FIELD_SEQNUM, FIELD_SEQNUM_ID } from "./fields.js";

export interface CursorParts {
  s?: string;
  i?: string;
  b?: string;
  m?: string;
  t?: string;
  x?: string;
}

export function parseCursor(cursor: string): CursorParts {
  const out: Record<string, string> = {};
  for (const part of cursor.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out as CursorParts;
}

/** A cursor as systemd writes it: hex ids, hex numbers, six known keys. */
export function isWellFormedCursor(cursor: string): boolean {
  return /^s=[0-9a-f]{32};i=[0-9a-f]+;b=[0-9a-f]{32};m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]+$/.test(cursor);
}

/**
 * The journal identity of an entry: seqnum id + seqnum, else boot id + monotonic time, else the
 * cursor itself. The same entry read twice (a replay after a crash) has the same identity.
 */
export function journalIdentity(entry: ExportEntry): string | undefined {
  const sid = entry.get(FIELD_SEQNUM_ID);
  const seq = entry.get(FIELD_SEQNUM);
  if (sid && seq && /^\d+$/.test(seq)) return `s:${sid}:${BigInt(seq).toString(16)}`;
  const cursor = entry.cursor;
  if (cursor) {
    const c = parseCursor(cursor);
    if (c.s && c.i) return `s:${c.s}:${c.i}`;
    if (c.b && c.m) return `b:${c.b}:${c.m}`;
  }
  const boot = entry.get(FIELD_BOOT_ID);
  const mono = entry.get(FIELD_MONOTONIC_TIMESTAMP);
  if (boot && mono && /^\d+$/.test(mono)) return `b:${boot}:${BigInt(mono).toString(16)}`;
  return cursor ? `c:${cursor}` : undefined;
}
