// Turns an ENTRY object into the journal export format exactly as `journalctl -o export` (systemd
// 252) writes it: __CURSOR, __REALTIME_TIMESTAMP, __MONOTONIC_TIMESTAMP and _BOOT_ID from the entry
// object, then every DATA item in the entry's order (its own _BOOT_ID item left out, as journalctl
// does), each as text when printable, else NAME\n<le64 size><bytes>. The encoded form of a DATA
// object is cached by offset: most fields (host, unit, priority, ...) are shared by many entries.
import { ExportEntry } from "../../../core/journal/export-entry.js";
import { decompress, DecompressError, OBJECT_COMPRESSED_MASK } from "./decompress.js";
import { JournalFileError } from "./journal-file-error.js";
import { headLayout, writeHead } from "./export-head.js";
import { data, dataPayload, type EntryHead, type FileGeometry } from "./objects.js";
import { isPrintable } from "./printable.js";

/** One DATA object in export form: "NAME=value\n" or "NAME\n" + le64 size + value + "\n". */
export interface EncodedField {
  bytes: Buffer;
  nameLen: number;
  valueStart: number;
  binary: boolean;
}

const CACHE_MAX_FIELD_BYTES = 1024;
const SLAB_BYTES = 1024 * 1024;
/** Cached field bytes live in slabs of at most 4 MiB in all (small fields do not each hold a pool chunk). */
const MAX_SLABS = 4;
const slabs: Buffer[] = [];
let slabIndex = 0;
let slabUsed = 0;

/**
 * The cache of encoded DATA objects, shared by all files: direct-mapped by offset (a slot holds the
 * last field seen there; no hashing, no per-entry allocation). When the slabs are full, every slot
 * is emptied and new slabs begin (old ones are not overwritten: the entry being assembled may
 * still point into them).
 */
const SLOTS = 1 << 15;
const slotOffset = new Float64Array(SLOTS);
const slotOwner = new Int32Array(SLOTS);
const slotField: (EncodedField | undefined)[] = new Array(SLOTS).fill(undefined);
let owners = 0;

/** A cache owner id for a file (0 is never one: an empty slot). */
export function newFieldCache(): number {
  owners = (owners % 0x7ffffffe) + 1;
  return owners;
}

export function dropFieldCache(owner: number): void {
  for (let i = 0; i < SLOTS; i++) if (slotOwner[i] === owner) (slotOwner[i] = 0), (slotField[i] = undefined);
}

function slotOf(offset: number): number {
  return (offset / 8) & (SLOTS - 1);
}

/** Room for n bytes in a slab. */
function slabRoom(n: number): Buffer {
  if (slabIndex < slabs.length && slabUsed + n > SLAB_BYTES) {
    slabIndex++;
    slabUsed = 0;
  }
  if (slabIndex >= MAX_SLABS) {
    slotOwner.fill(0);
    slotField.fill(undefined);
    slabs.length = 0;
    slabIndex = 0;
    slabUsed = 0;
  }
  if (slabIndex >= slabs.length) slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
  const b = slabs[slabIndex]!.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return b;
}

function isNameByte(c: number, first: boolean): boolean {
  return (c >= 65 && c <= 90) || c === 95 || (!first && c >= 48 && c <= 57);
}

/**
 * Room for the fields of the entry being built that are not kept (used once, then copied into the
 * entry): one buffer reused for every entry, instead of a new allocation per field.
 */
const ARENA_BYTES = 1024 * 1024;
let arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
let arenaUsed = 0;

function alloc(n: number, keep: boolean): Buffer {
  if (keep && n <= CACHE_MAX_FIELD_BYTES) return slabRoom(n);
  if (n > ARENA_BYTES / 4) return Buffer.allocUnsafe(n);
  if (arenaUsed + n > ARENA_BYTES) {
    // Still referenced by the entry being built: a new arena, the old one left to the collector.
    arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
    arenaUsed = 0;
  }
  const b = arena.subarray(arenaUsed, arenaUsed + n);
  arenaUsed += n;
  return b;
}

/**
 * Encodes "NAME=value" (payload[start, end)); undefined for a payload journalctl leaves out (bad
 * name, _BOOT_ID). Small results live in the shared slabs: cache them, or copy them before the next call.
 */
export function encodeField(payload: Buffer, start = 0, end = payload.length, keep = false): EncodedField | undefined {
  if (start !== 0 || end !== payload.length) payload = payload.subarray(start, end);
  const eq = payload.indexOf(61);
  if (eq <= 0 || eq > 64) return undefined;
  for (let i = 0; i < eq; i++) if (!isNameByte(payload[i]!, i === 0)) return undefined;
  if (eq === 8 && payload.toString("latin1", 0, 8) === "_BOOT_ID") return undefined;
  if (isPrintable(payload, eq + 1, payload.length)) {
    const bytes = alloc(payload.length + 1, keep);
    payload.copy(bytes, 0);
    bytes[payload.length] = 10;
    return { bytes, nameLen: eq, valueStart: eq + 1, binary: false };
  }
  const size = payload.length - eq - 1;
  const bytes = alloc(eq + 1 + 8 + size + 1, keep);
  payload.copy(bytes, 0, 0, eq);
  bytes[eq] = 10;
  bytes.writeUInt32LE(size % 0x100000000, eq + 1);
  bytes.writeUInt32LE(Math.floor(size / 0x100000000), eq + 5);
  payload.copy(bytes, eq + 9, eq + 1);
  bytes[bytes.length - 1] = 10;
  return { bytes, nameLen: eq, valueStart: eq + 9, binary: true };
}

export interface BuildContext {
  g: FileGeometry;
  /** The file's seqnum id as 32 ASCII hex bytes. */
  seqnumIdHex: Buffer;
  /** The file's id in the field cache (newFieldCache). */
  cache: number;
  /** A decompressed payload larger than this is an error. */
  maxFieldBytes: number;
}

function payloadOf(ctx: BuildContext, offset: number): Buffer | Promise<Buffer> {
  dataPayload(ctx.g, offset);
  const p = data;
  // A window's view is valid until the next read: used at once (encodeField copies it), or copied
  // before an asynchronous decompression.
  const raw = p.length > 65536 ? ctx.g.reader.direct(p.start, p.length) : ctx.g.reader.read(p.start, p.length);
  if (raw.length < p.length) throw new JournalFileError(ctx.g.path, offset, "the file ends inside a DATA object");
  if ((p.flags & OBJECT_COMPRESSED_MASK) === 0) return raw;
  try {
    const out = decompress(p.flags, raw, ctx.maxFieldBytes);
    if (out instanceof Promise) {
      return out.catch((e: unknown) => {
        throw e instanceof DecompressError ? new JournalFileError(ctx.g.path, offset, `DATA object payload: ${e.message}`) : e;
      });
    }
    return out;
  } catch (e) {
    if (e instanceof DecompressError) throw new JournalFileError(ctx.g.path, offset, `DATA object payload: ${e.message}`);
    throw e;
  }
}

const SKIPPED: EncodedField = { bytes: Buffer.alloc(0), nameLen: 0, valueStart: 0, binary: false };

function fieldAt(ctx: BuildContext, offset: number): EncodedField | null | Promise<EncodedField | null> {
  const slot = slotOf(offset);
  if (slotOwner[slot] === ctx.cache && slotOffset[slot] === offset) {
    const hit = slotField[slot]!;
    return hit === SKIPPED ? null : hit;
  }
  const payload = payloadOf(ctx, offset);
  // Only what other entries share is worth keeping (the DATA object counts its entries); journald's
  // own n_entries of a file being written may still grow, which only costs a reread.
  const shared = data.nEntries !== 1;
  const finish = (b: Buffer) => {
    const f = encodeField(b, 0, b.length, shared);
    if (shared && (f === undefined || f.bytes.length <= CACHE_MAX_FIELD_BYTES)) {
      const at = slotOf(offset);
      slotOwner[at] = ctx.cache;
      slotOffset[at] = offset;
      slotField[at] = f ?? SKIPPED;
    }
    return f ?? null;
  };
  return payload instanceof Promise ? payload.then(finish) : finish(payload);
}

function assemble(ctx: BuildContext, h: EntryHead, fields: (EncodedField | null)[], n: number): ExportEntry {
  const layout = headLayout(h);
  let total = layout.total + 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    if (f != null) (total += f.bytes.length), count++;
  }
  const raw = Buffer.allocUnsafe(total);
  let at = writeHead(raw, h, ctx.seqnumIdHex, h.bootHex, layout);
  // The four head fields: "__CURSOR" (8), "__REALTIME_TIMESTAMP" (20), "__MONOTONIC_TIMESTAMP" (21), "_BOOT_ID" (8).
  const index = new Array<number>(20 + 5 * count);
  const a2 = 10 + layout.cursorLen;
  const a3 = a2 + 22 + layout.rtLen;
  const a4 = a3 + 23 + layout.monoLen;
  index[0] = 0, index[1] = 8, index[2] = 9, index[3] = 9 + layout.cursorLen, index[4] = 0;
  index[5] = a2, index[6] = a2 + 20, index[7] = a2 + 21, index[8] = a2 + 21 + layout.rtLen, index[9] = 0;
  index[10] = a3, index[11] = a3 + 21, index[12] = a3 + 22, index[13] = a3 + 22 + layout.monoLen, index[14] = 0;
  index[15] = a4, index[16] = a4 + 8, index[17] = a4 + 9, index[18] = a4 + 41, index[19] = 0;
  let k = 20;
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    if (f == null) continue;
    const src = f.bytes;
    const len = src.length;
    if (len < 64) for (let j = 0; j < len; j++) raw[at + j] = src[j]!;
    else raw.set(src, at);
    index[k] = at;
    index[k + 1] = at + f.nameLen;
    index[k + 2] = at + f.valueStart;
    index[k + 3] = at + len - 1;
    index[k + 4] = f.binary ? 1 : 0;
    k += 5;
    at += len;
  }
  raw[at] = 10;
  return new ExportEntry(raw, index);
}

/** Reused for every entry built synchronously (the common case). */
const scratch: (EncodedField | null)[] = [];

/** The entry in export form; a promise only when one of its payloads is XZ-compressed. */
export function buildEntry(ctx: BuildContext, h: EntryHead, items: readonly number[]): ExportEntry | Promise<ExportEntry> {
  let fields = scratch;
  arenaUsed = 0;
  let pending: Promise<unknown>[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const f = fieldAt(ctx, items[i]!);
    if (f instanceof Promise) {
      if (pending === undefined) fields = fields.slice(0, items.length);
      fields[i] = null;
      const own = fields;
      (pending ??= []).push(f.then((v) => (own[i] = v)));
    } else fields[i] = f;
  }
  if (pending === undefined) return assemble(ctx, h, fields, items.length);
  const own = fields;
  return Promise.all(pending).then(() => assemble(ctx, h, own, items.length));
}
