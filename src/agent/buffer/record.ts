// One buffer record: a batch of entries (their raw export bytes) with the cursors of its first and
// last entry, framed and checksummed. Layout (little endian), see docs/buffer-format.md:
//   magic "LHB1" (4) | body length N (u32) | CRC-32 of the body (u32) | body (N)
//   body = entries (u32) | first cursor length (u16) | first cursor | last cursor length (u16) | last cursor | payload
import { crc32 } from "node:zlib";

export const MAGIC = Buffer.from("LHB1", "latin1");
export const HEADER_BYTES = 12;
/** Larger bodies are taken for damage, not data (batches are bounded far below this). */
export const MAX_BODY_BYTES = 1024 * 1024 * 1024;

export interface RecordData {
  entries: number;
  first: string;
  last: string;
  payload: Buffer;
}

/** The record's bytes, as buffers to write in order (the payload is not copied). */
export function encodeRecord(entries: number, first: string, last: string, payload: Buffer[]): Buffer[] {
  const f = Buffer.from(first, "utf8");
  const l = Buffer.from(last, "utf8");
  const meta = Buffer.allocUnsafe(4 + 2 + f.length + 2 + l.length);
  meta.writeUInt32LE(entries, 0);
  meta.writeUInt16LE(f.length, 4);
  f.copy(meta, 6);
  meta.writeUInt16LE(l.length, 6 + f.length);
  l.copy(meta, 8 + f.length);
  let crc = crc32(meta);
  let len = meta.length;
  for (const p of payload) {
    crc = crc32(p, crc);
    len += p.length;
  }
  const head = Buffer.allocUnsafe(HEADER_BYTES);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(len, 4);
  head.writeUInt32LE(crc >>> 0, 8);
  return [head, meta, ...payload];
}

export function recordSize(parts: Buffer[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Reads the header at buf[0..12): the body length, or undefined when it is not a record header. */
export function headerBodyLength(head: Buffer): number | undefined {
  if (head.length < HEADER_BYTES || !head.subarray(0, 4).equals(MAGIC)) return undefined;
  const n = head.readUInt32LE(4);
  return n >= 8 && n <= MAX_BODY_BYTES ? n : undefined;
}

/** Decodes a body whose CRC is checked against the header; undefined when damaged. */
export function decodeBody(head: Buffer, body: Buffer): RecordData | undefined {
  if ((crc32(body) >>> 0) !== head.readUInt32LE(8)) return undefined;
  const entries = body.readUInt32LE(0);
  const fl = body.readUInt16LE(4);
  if (8 + fl > body.length) return undefined;
  const first = body.toString("utf8", 6, 6 + fl);
  const ll = body.readUInt16LE(6 + fl);
  const at = 8 + fl + ll;
  if (at > body.length) return undefined;
  const last = body.toString("utf8", 8 + fl, at);
  return { entries, first, last, payload: body.subarray(at) };
}
