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
  return identityOf({
    seqnumId: entry.get(FIELD_SEQNUM_ID),
    seqnum: entry.get(FIELD_SEQNUM),
    cursor: entry.cursor,
    bootId: entry.get(FIELD_BOOT_ID),
    monotonic: entry.get(FIELD_MONOTONIC_TIMESTAMP),
  });
}

/** The fields an identity is made of (the first value of each), for callers that read them already. */
export interface IdentityFields {
  seqnumId: string | undefined;
  seqnum: string | undefined;
  cursor: string | undefined;
  bootId: string | undefined;
  monotonic: string | undefined;
}

/** journalIdentity() from fields already read. */
export function identityOf(f: IdentityFields): string | undefined {
  const { seqnumId: sid, seqnum: seq, cursor } = f;
  if (sid && seq && /^\d+$/.test(seq)) return `s:${sid}:${BigInt(seq).toString(16)}`;
  if (cursor) {
    const s = cursorPart(cursor, "s=");
    const i = s ? cursorPart(cursor, "i=") : undefined;
    if (s && i) return `s:${s}:${i}`;
    const b = cursorPart(cursor, "b=");
    const m = b ? cursorPart(cursor, "m=") : undefined;
    if (b && m) return `b:${b}:${m}`;
  }
  const { bootId: boot, monotonic: mono } = f;
  if (boot && mono && /^\d+$/.test(mono)) return `b:${boot}:${BigInt(mono).toString(16)}`;
  return cursor ? `c:${cursor}` : undefined;
}

/** The value of one "k=" part of a cursor (as parseCursor would give it: the last one wins), or undefined. */
function cursorPart(cursor: string, key: string): string | undefined {
  let found: string | undefined;
  let at = 0;
  while (at < cursor.length) {
    let end = cursor.indexOf(";", at);
    if (end < 0) end = cursor.length;
    if (cursor.startsWith(key, at)) found = cursor.slice(at + key.length, end);
    at = end + 1;
  }
  return found;
}
