// Objects of the journal file's arena (JOURNAL_FILE_FORMAT.md, "Objects"): every object starts with
// type, flags and size, and lies 8-byte aligned inside the file. ENTRY objects carry the entry's
// seqnum, timestamps, boot id and xor hash, then its items (offsets of DATA objects: 32-bit in
// compact files, 64-bit + hash otherwise). DATA objects carry "FIELD=value", maybe compressed.
import { JournalFileError } from "./journal-file-error.js";
import { u64 } from "./header.js";
import type { PositionalReader } from "./positional-reader.js";

export const OBJECT_DATA = 1;
export const OBJECT_ENTRY = 3;
export const OBJECT_ENTRY_ARRAY = 6;
export const OBJECT_HEADER_BYTES = 16;
export const ENTRY_HEADER_BYTES = 64;
export const ENTRY_ARRAY_HEADER_BYTES = 24;
const TYPE_NAMES = ["UNUSED", "DATA", "FIELD", "ENTRY", "DATA_HASH_TABLE", "FIELD_HASH_TABLE", "ENTRY_ARRAY", "TAG"];

/** Where an object lies and what it is, checked against the file. */
export interface ObjectRef {
  offset: number;
  flags: number;
  size: number;
}

/** The entry's own fields: what a cursor and journalctl's ordering are made of. */
export interface EntryHead {
  offset: number;
  seqnum: number;
  realtime: number;
  monotonic: number;
  bootId: string;
  /** The boot id as 32 ASCII hex bytes (shared between entries of a boot: do not change). */
  bootHex: Buffer;
  xorHi: number;
  xorLo: number;
}

export interface FileGeometry {
  path: string;
  reader: PositionalReader;
  headerSize: number;
  /** The file's size when last looked at: nothing lies beyond it. */
  fileSize: number;
  compact: boolean;
}

function typeName(t: number): string {
  return TYPE_NAMES[t] ?? `unknown (type ${t})`;
}

/** Checks the object header in b at `at` (read from offset), expecting `type`; returns its size. */
function checkObject(g: FileGeometry, b: Buffer, at: number, got: number, offset: number, type: number, minSize: number): number {
  if (offset % 8 !== 0 || offset < g.headerSize || offset + OBJECT_HEADER_BYTES > g.fileSize) {
    throw new JournalFileError(g.path, offset, `a ${typeName(type)} object is referenced at an offset outside the file's arena (file of ${g.fileSize} bytes, header of ${g.headerSize})`);
  }
  if (got < OBJECT_HEADER_BYTES) throw new JournalFileError(g.path, offset, "the file ends inside an object header");
  const t = b[at]!;
  if (t !== type) throw new JournalFileError(g.path, offset, `expected a ${typeName(type)} object, found ${t === 0 ? "zeros (an object never written)" : `a ${typeName(t)} object`}`);
  const hi = b.readUInt32LE(at + 12);
  const size = hi * 0x100000000 + b.readUInt32LE(at + 8);
  if (hi >= 0x200000 || size < minSize || offset + size > g.fileSize) {
    throw new JournalFileError(g.path, offset, `${typeName(type)} object of ${size} bytes does not fit (at least ${minSize}, file of ${g.fileSize} bytes)`);
  }
  return size;
}

/** Reads and checks the object header at offset, expecting `type`. */
export function objectAt(g: FileGeometry, offset: number, type: number, minSize: number): ObjectRef {
  const r = g.reader;
  const b = r.view(offset, OBJECT_HEADER_BYTES);
  const size = checkObject(g, b, r.at, r.got, offset, type, minSize);
  return { offset, flags: b[r.at + 1]!, size };
}

/** Boot ids seen lately, as raw bytes, hex text and hex bytes (a few boots are interleaved at most). */
const boots: { raw: Buffer; hex: string; ascii: Buffer }[] = [];

function bootOf(b: Buffer, at: number): { hex: string; ascii: Buffer } {
  for (let i = 0; i < boots.length; i++) {
    const x = boots[i]!;
    if (b.compare(x.raw, 0, 16, at, at + 16) === 0) return x;
  }
  const raw = Buffer.from(b.subarray(at, at + 16));
  const hex = raw.toString("hex");
  const x = { raw, hex, ascii: Buffer.from(hex, "latin1") };
  if (boots.length >= 16) boots.pop();
  boots.unshift(x);
  return x;
}

/** The ENTRY object at offset: its fields, and the offsets of its DATA items in order. */
export function readEntry(g: FileGeometry, offset: number): { head: EntryHead; items: number[] } {
  const r = g.reader;
  let b = r.view(offset, ENTRY_HEADER_BYTES);
  let at = r.at;
  const size = checkObject(g, b, at, r.got, offset, OBJECT_ENTRY, ENTRY_HEADER_BYTES);
  const itemBytes = g.compact ? 4 : 16;
  const n = Math.floor((size - ENTRY_HEADER_BYTES) / itemBytes);
  b = r.view(offset, ENTRY_HEADER_BYTES + n * itemBytes);
  at = r.at;
  if (r.got < ENTRY_HEADER_BYTES + n * itemBytes) throw new JournalFileError(g.path, offset, "the file ends inside an ENTRY object");
  const boot = bootOf(b, at + 40);
  const head: EntryHead = {
    offset,
    seqnum: u64(b, at + 16, "seqnum", g.path, offset - at),
    realtime: u64(b, at + 24, "realtime", g.path, offset - at),
    monotonic: u64(b, at + 32, "monotonic", g.path, offset - at),
    bootId: boot.hex,
    bootHex: boot.ascii,
    xorLo: b.readUInt32LE(at + 56),
    xorHi: b.readUInt32LE(at + 60),
  };
  if (head.seqnum === 0) throw new JournalFileError(g.path, offset, "ENTRY object with sequence number 0");
  const items = new Array<number>(n);
  const base = at + ENTRY_HEADER_BYTES;
  if (g.compact) for (let i = 0; i < n; i++) items[i] = b.readUInt32LE(base + i * 4);
  else for (let i = 0; i < n; i++) items[i] = u64(b, base + i * 16, "entry item offset", g.path, offset - at);
  return { head, items };
}

/** What dataPayload() found (module-level: no object per call). */
export const data = { start: 0, length: 0, flags: 0, nEntries: 0 };

/** Where the payload of the DATA object at offset lies, its compression flags and how many entries share it (into `data`). */
export function dataPayload(g: FileGeometry, offset: number): void {
  const payloadAt = g.compact ? 72 : 64;
  const r = g.reader;
  const b = r.view(offset, 64);
  const size = checkObject(g, b, r.at, r.got, offset, OBJECT_DATA, payloadAt);
  data.start = offset + payloadAt;
  data.length = size - payloadAt;
  data.flags = b[r.at + 1]!;
  data.nEntries = r.got >= 64 ? b.readUInt32LE(r.at + 56) + b.readUInt32LE(r.at + 60) * 0x100000000 : 0;
}
