// DATA payloads compressed by journald: ZSTD (a zstd frame), LZ4 (a 64-bit little-endian size, then
// one LZ4 block) and XZ (an .xz stream). Decoders chosen by measurement (docs/sources.md):
// @bokuweb/zstd-wasm (WASM; throws on a corrupt frame, where zstddec returned 0 bytes), lz4js (pure
// JS, sync, ~100 MB/s here; lz4-wasm-nodejs was slower below 4 KiB and wants another size
// prefix), xz-decompress (WASM, the only pure .xz decoder: asynchronous, and XZ is rare — the
// default before systemd 246). The size a payload claims is checked against the limit before
// anything is allocated: a corrupt object cannot make the agent allocate gigabytes.
// The WASM decoders are loaded on first use: a journal without compressed objects costs no memory for them.
import lz4js from "lz4js";

type ZstdModule = typeof import("@bokuweb/zstd-wasm");
let zstdModule: ZstdModule | undefined;

export const OBJECT_COMPRESSED_XZ = 1 << 0;
export const OBJECT_COMPRESSED_LZ4 = 1 << 1;
export const OBJECT_COMPRESSED_ZSTD = 1 << 2;
export const OBJECT_COMPRESSED_MASK = 7;

let zstdReady: Promise<void> | undefined;

/** Loads the zstd decoder (once); decompress() does it itself on the first ZSTD payload. */
export async function prepareZstd(): Promise<void> {
  zstdReady ??= import("@bokuweb/zstd-wasm").then(async (m) => {
    await m.init();
    zstdModule = m;
  });
  await zstdReady;
}

/** A payload that does not decompress: the reader reports it with the object's offset. */
export class DecompressError extends Error {}

/** The content size a zstd frame header declares (RFC 8878 §3.1.1.1), or undefined when it has none. */
export function zstdContentSize(b: Buffer): number | undefined {
  if (b.length < 6 || b.readUInt32LE(0) !== 0xfd2fb528) throw new DecompressError("not a zstd frame (bad magic number)");
  const fhd = b[4]!;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][dictFlag]!;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  if (at + fcsBytes > b.length) throw new DecompressError("zstd frame header cut short");
  switch (fcsBytes) {
    case 1:
      return b[at]!;
    case 2:
      return b.readUInt16LE(at) + 256;
    case 4:
      return b.readUInt32LE(at);
    default: {
      const hi = b.readUInt32LE(at + 4);
      if (hi >= 0x200000) return Number.MAX_SAFE_INTEGER;
      return hi * 0x100000000 + b.readUInt32LE(at);
    }
  }
}

function zstd(b: Buffer, limit: number): Buffer {
  const size = zstdContentSize(b);
  if (size === undefined) throw new DecompressError("zstd frame without a content size (journald always writes one)");
  if (size > limit) throw new DecompressError(`zstd frame declares ${size} bytes, more than the limit of ${limit}`);
  let out: Uint8Array;
  try {
    out = zstdModule!.decompress(b);
  } catch (e) {
    throw new DecompressError(`zstd: ${(e as Error).message.replace("compress", "decompress")}`);
  }
  if (out.length !== size) throw new DecompressError(`zstd frame declares ${size} bytes, decompressed to ${out.length}`);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

function lz4(b: Buffer, limit: number): Buffer {
  if (b.length < 8) throw new DecompressError("LZ4 payload shorter than its 8-byte size");
  const hi = b.readUInt32LE(4);
  const size = hi * 0x100000000 + b.readUInt32LE(0);
  if (size > limit) throw new DecompressError(`LZ4 payload declares ${size} bytes, more than the limit of ${limit}`);
  const out = Buffer.alloc(size);
  let n: number;
  try {
    n = lz4js.decompressBlock(b, out, 8, b.length - 8, 0);
  } catch (e) {
    throw new DecompressError(`LZ4: ${(e as Error).message}`);
  }
  if (n !== size) throw new DecompressError(`LZ4 payload declares ${size} bytes, decompressed to ${Number.isFinite(n) ? n : "garbage"}`);
  return out;
}

async function xz(b: Buffer, limit: number): Promise<Buffer> {
  const input = new Blob([b]).stream(); // a copy, taken before anything else may reuse b's memory
  const { default: xzDecompress } = await import("xz-decompress");
  const reader = new xzDecompress.XzReadableStream(input).getReader();
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) throw new DecompressError(`XZ payload decompresses to more than the limit of ${limit} bytes`);
      parts.push(Buffer.from(value));
    }
  } catch (e) {
    if (e instanceof DecompressError) throw e;
    throw new DecompressError(`XZ: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(parts, total);
}

/**
 * The payload decompressed. Synchronous for ZSTD and LZ4 (the common cases); a promise for XZ.
 * Throws DecompressError for a payload that is corrupt, or larger than `limit` once decompressed.
 */
export function decompress(flags: number, b: Buffer, limit: number): Buffer | Promise<Buffer> {
  switch (flags & OBJECT_COMPRESSED_MASK) {
    case OBJECT_COMPRESSED_ZSTD:
      if (zstdModule === undefined) {
        const copy = Buffer.from(b); // the caller's view may not outlive this call
        return prepareZstd().then(() => zstd(copy, limit));
      }
      return zstd(b, limit);
    case OBJECT_COMPRESSED_LZ4:
      return lz4(b, limit);
    case OBJECT_COMPRESSED_XZ:
      return xz(b, limit);
    default:
      throw new DecompressError(`object flags 0x${flags.toString(16)} name several compressions at once`);
  }
}
