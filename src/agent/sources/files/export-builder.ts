// Turns an ENTRY object into the journal export format exactly as `journalctl -o export` (systemd
// 252) writes it: __CURSOR, __REALTIME_TIMESTAMP, __MONOTONIC_TIMESTAMP and _BOOT_ID from the entry
// object, then every DATA item in the entry's order (its own _BOOT_ID item left out, as journalctl
// does), each as text when printable, else NAME\n<le64 size><bytes>. The encoded form of a DATA
// object is cached by offset: most fields (host, unit, priority, ...) are shared by many entries.
import { ExportEntry } from "../../../core/journal/export-entry.js";
import { decompress, DecompressError, OBJECT_COMPRESSED_MASK } from "./decompress.js";
import { JournalFileError } from "./journal-file-error.js";
import { cursorOf } from "./location.js";
import { dataPayload, type EntryHead, type FileGeometry } from "./objects.js";
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
/**
 * Slabs of cached field bytes, at most 16 MiB: then every cache is cleared and new slabs begin (the
 * old ones are not overwritten: the entry being assembled may still point into them).
 */
const MAX_SLABS = 16;
const slabs: Buffer[] = [];
let slabIndex = 0;
let slabUsed = 0;
const caches = new Set<Map<number, EncodedField>>();

/** A file's cache of encoded DATA objects; all files' caches share the slabs (cleared when full). */
export function newFieldCache(): Map<number, EncodedField> {
  const m = new Map<number, EncodedField>();
  caches.add(m);
  return m;
}

export function dropFieldCache(m: Map<number, EncodedField>): void {
  m.clear();
  caches.delete(m);
}

/** Room for n bytes in a slab (small cached fields share slabs instead of each holding a pool chunk). */
function slabRoom(n: number): Buffer {
  if (slabIndex < slabs.length && slabUsed + n > SLAB_BYTES) {
    slabIndex++;
    slabUsed = 0;
  }
  if (slabIndex >= MAX_SLABS) {
    for (const m of caches) m.clear();
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

function alloc(n: number): Buffer {
  return n <= CACHE_MAX_FIELD_BYTES ? slabRoom(n) : Buffer.allocUnsafe(n);
}

/**
 * Encodes "NAME=value" (payload[start, end)); undefined for a payload journalctl leaves out (bad
 * name, _BOOT_ID). Small results live in the shared slabs: cache them, or copy them before the next call.
 */
export function encodeField(payload: Buffer, start = 0, end = payload.length): EncodedField | undefined {
  if (start !== 0 || end !== payload.length) payload = payload.subarray(start, end);
  const eq = payload.indexOf(61);
  if (eq <= 0 || eq > 64) return undefined;
  for (let i = 0; i < eq; i++) if (!isNameByte(payload[i]!, i === 0)) return undefined;
  if (eq === 8 && payload.toString("latin1", 0, 8) === "_BOOT_ID") return undefined;
  if (isPrintable(payload, eq + 1, payload.length)) {
    const bytes = alloc(payload.length + 1);
    payload.copy(bytes, 0);
    bytes[payload.length] = 10;
    return { bytes, nameLen: eq, valueStart: eq + 1, binary: false };
  }
  const size = payload.length - eq - 1;
  const bytes = alloc(eq + 1 + 8 + size + 1);
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
  seqnumId: string;
  cache: Map<number, EncodedField>;
  /** A decompressed payload larger than this is an error. */
  maxFieldBytes: number;
}

function payloadOf(ctx: BuildContext, offset: number): Buffer | Promise<Buffer> {
  const p = dataPayload(ctx.g, offset);
  // A window's view is valid until the next read: used at once (encodeField copies it), or copied
  // before an asynchronous decompression.
  const raw = p.length > 65536 ? ctx.g.reader.direct(p.start, p.length) : ctx.g.reader.read(p.start, p.length);
  if (raw.length < p.length) throw new JournalFileError(ctx.g.path, offset, "the file ends inside a DATA object");
  if ((p.flags & OBJECT_COMPRESSED_MASK) === 0) return raw;
  try {
    const out = decompress(p.flags, p.length > 65536 ? raw : Buffer.from(raw), ctx.maxFieldBytes);
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

function fieldAt(ctx: BuildContext, offset: number): EncodedField | null | Promise<EncodedField | null> {
  const hit = ctx.cache.get(offset);
  if (hit !== undefined) return hit;
  const payload = payloadOf(ctx, offset);
  const finish = (b: Buffer) => {
    const f = encodeField(b);
    if (f === undefined) return null;
    if (f.bytes.length <= CACHE_MAX_FIELD_BYTES) ctx.cache.set(offset, f);
    return f;
  };
  return payload instanceof Promise ? payload.then(finish) : finish(payload);
}

function assemble(ctx: BuildContext, h: EntryHead, fields: (EncodedField | null)[]): ExportEntry {
  const c = cursorOf(ctx.seqnumId, h);
  const rt = String(h.realtime);
  const mono = String(h.monotonic);
  const head = "__CURSOR=" + c + "\n__REALTIME_TIMESTAMP=" + rt + "\n__MONOTONIC_TIMESTAMP=" + mono + "\n_BOOT_ID=" + h.bootId + "\n";
  let total = head.length + 1;
  let n = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f != null) (total += f.bytes.length), n++;
  }
  const raw = Buffer.allocUnsafe(total);
  raw.write(head, 0, "latin1");
  // The four header fields: "__CURSOR" (8), "__REALTIME_TIMESTAMP" (20), "__MONOTONIC_TIMESTAMP" (21), "_BOOT_ID" (8).
  const index = new Array<number>(20 + 5 * n);
  const a2 = 10 + c.length;
  const a3 = a2 + 22 + rt.length;
  const a4 = a3 + 23 + mono.length;
  index[0] = 0, index[1] = 8, index[2] = 9, index[3] = 9 + c.length, index[4] = 0;
  index[5] = a2, index[6] = a2 + 20, index[7] = a2 + 21, index[8] = a2 + 21 + rt.length, index[9] = 0;
  index[10] = a3, index[11] = a3 + 21, index[12] = a3 + 22, index[13] = a3 + 22 + mono.length, index[14] = 0;
  index[15] = a4, index[16] = a4 + 8, index[17] = a4 + 9, index[18] = a4 + 41, index[19] = 0;
  let at = head.length;
  let k = 20;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f == null) continue;
    const len = f.bytes.length;
    raw.set(f.bytes, at);
    index[k] = at;
    index[k + 1] = at + f.nameLen;
    index[k + 2] = at + f.valueStart;
    index[k + 3] = at + len - 1;
    index[k + 4] = f.binary ? 1 : 0;
    k += 5;
    at += len;
  }
  raw[at] = 10;
  return new ExportEntry(raw, index, c);
}

/** The entry in export form; a promise only when one of its payloads is XZ-compressed. */
export function buildEntry(ctx: BuildContext, h: EntryHead, items: readonly number[]): ExportEntry | Promise<ExportEntry> {
  const fields: (EncodedField | null)[] = new Array(items.length);
  let pending: Promise<unknown>[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const f = fieldAt(ctx, items[i]!);
    if (f instanceof Promise) {
      fields[i] = null;
      (pending ??= []).push(f.then((v) => (fields[i] = v)));
    } else fields[i] = f;
  }
  if (pending === undefined) return assemble(ctx, h, fields);
  return Promise.all(pending).then(() => assemble(ctx, h, fields));
}
