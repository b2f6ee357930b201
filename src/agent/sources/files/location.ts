// Where an entry lies in the journal as sd-journal orders entries of many files (sd-journal.c,
// compare_with_location and journal_file_compare_locations in systemd 252): by seqnum when both
// come from the same seqnum id, else by monotonic time when from the same boot, else by realtime,
// and last by the xor hash of the entry's data. Entries equal in all of these are one entry (the
// same entry in two files, e.g. a copy): it is delivered once. A cursor is a location.
import { parseCursor } from "../../../core/journal/cursor.js";
import type { EntryHead } from "./objects.js";

/** A position in the journal; fields a cursor does not give are undefined. */
export interface Location {
  seqnumId?: string;
  seqnum?: number;
  bootId?: string;
  monotonic?: number;
  realtime?: number;
  xorHi?: number;
  xorLo?: number;
}

const cmp = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

/** The entry's location (with its file's seqnum id). */
export function locationOf(seqnumId: string, h: EntryHead): Location {
  return { seqnumId, seqnum: h.seqnum, bootId: h.bootId, monotonic: h.monotonic, realtime: h.realtime, xorHi: h.xorHi, xorLo: h.xorLo };
}

/** compare_with_location: the entry against a location; 0 when the location does not tell them apart. */
export function compareWithLocation(seqnumId: string, h: EntryHead, l: Location): number {
  if (l.seqnum !== undefined && l.seqnumId === seqnumId) {
    const r = cmp(h.seqnum, l.seqnum);
    if (r !== 0) return r;
  }
  if (l.monotonic !== undefined && l.bootId === h.bootId) {
    const r = cmp(h.monotonic, l.monotonic);
    if (r !== 0) return r;
  }
  if (l.realtime !== undefined) {
    const r = cmp(h.realtime, l.realtime);
    if (r !== 0) return r;
  }
  if (l.xorHi !== undefined && l.xorLo !== undefined) {
    const r = cmp(h.xorHi, l.xorHi) || cmp(h.xorLo, l.xorLo);
    if (r !== 0) return r;
  }
  return 0;
}

/** journal_file_compare_locations: which of two files' current entries comes first. */
export function compareEntries(aSeqnumId: string, a: EntryHead, bSeqnumId: string, b: EntryHead): number {
  if (aSeqnumId === bSeqnumId) {
    const r = cmp(a.seqnum, b.seqnum);
    if (r !== 0) return r;
  }
  if (a.bootId === b.bootId) {
    const r = cmp(a.monotonic, b.monotonic);
    if (r !== 0) return r;
  }
  return cmp(a.realtime, b.realtime) || cmp(a.xorHi, b.xorHi) || cmp(a.xorLo, b.xorLo);
}

/** Whether the entry is exactly the one the location names (every part of a full cursor agrees). */
export function isAt(seqnumId: string, h: EntryHead, l: Location): boolean {
  return l.seqnumId === seqnumId && l.seqnum === h.seqnum && l.bootId === h.bootId && l.monotonic === h.monotonic && l.realtime === h.realtime && l.xorHi === h.xorHi && l.xorLo === h.xorLo;
}

function hexNumber(v: string | undefined): number | undefined {
  if (v === undefined || !/^[0-9a-f]{1,13}$/.test(v)) return undefined;
  return Number.parseInt(v, 16);
}

/** A cursor's location (sd_journal_seek_cursor): the parts it has; undefined when it has none. */
export function locationOfCursor(cursor: string): Location | undefined {
  const p = parseCursor(cursor);
  const l: Location = {};
  if (p.s !== undefined && /^[0-9a-f]{32}$/.test(p.s)) {
    const i = hexNumber(p.i);
    if (i !== undefined) (l.seqnumId = p.s), (l.seqnum = i);
  }
  if (p.b !== undefined && /^[0-9a-f]{32}$/.test(p.b)) {
    const m = hexNumber(p.m);
    if (m !== undefined) (l.bootId = p.b), (l.monotonic = m);
  }
  const t = hexNumber(p.t);
  if (t !== undefined) l.realtime = t;
  if (p.x !== undefined && /^[0-9a-f]{1,16}$/.test(p.x)) {
    const x = p.x.padStart(16, "0");
    l.xorHi = Number.parseInt(x.slice(0, 8), 16);
    l.xorLo = Number.parseInt(x.slice(8), 16);
  }
  return Object.keys(l).length === 0 ? undefined : l;
}

/** The entry's cursor, as sd_journal_get_cursor writes it (lowercase hex, no leading zeros). */
export function cursorOf(seqnumId: string, h: EntryHead): string {
  const x = h.xorHi === 0 ? h.xorLo.toString(16) : h.xorHi.toString(16) + (h.xorLo + 0x100000000).toString(16).slice(1);
  return "s=" + seqnumId + ";i=" + h.seqnum.toString(16) + ";b=" + h.bootId + ";m=" + h.monotonic.toString(16) + ";t=" + h.realtime.toString(16) + ";x=" + x;
}
