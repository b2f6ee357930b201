// LZ4 and XZ journal files for tests. systemd 252's journal-remote writes only ZSTD (it ignores
// SYSTEMD_JOURNAL_COMPRESS), so these are made from a real, uncompressed file (journal-remote
// --compress=no): each DATA object whose payload shrinks is rewritten in place with the payload
// compressed as journald stores it (LZ4: le64 size + one LZ4 block; XZ: an .xz stream), its object
// flag and size set, and the header flag added. The caller checks the result with journalctl.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import lz4js from "lz4js";

const OBJECT_DATA = 1;

function lz4Block(payload: Buffer): Buffer {
  const out = Buffer.alloc(8 + lz4js.compressBound(payload.length));
  out.writeUInt32LE(payload.length % 0x100000000, 0);
  out.writeUInt32LE(Math.floor(payload.length / 0x100000000), 4);
  const n = lz4js.compressBlock(payload, out.subarray(8), 0, payload.length, new Uint32Array(1 << 16));
  return out.subarray(0, 8 + n);
}

function xzStream(payload: Buffer): Buffer {
  const r = spawnSync("xz", ["--format=xz", "--check=crc64", "-c"], { input: payload, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`xz failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Rewrites DATA payloads of at least minBytes with LZ4 or XZ; returns how many were rewritten. */
export function recompressJournal(file: string, kind: "lz4" | "xz", minBytes = 256): number {
  const b = readFileSync(file);
  const headerSize = Number(b.readBigUInt64LE(88));
  const compact = (b.readUInt32LE(12) & (1 << 4)) !== 0;
  const tail = Number(b.readBigUInt64LE(136));
  const payloadAt = compact ? 72 : 64;
  let rewritten = 0;
  for (let off = headerSize; off <= tail; ) {
    const type = b[off]!;
    const size = Number(b.readBigUInt64LE(off + 8));
    if (size === 0) break;
    if (type === OBJECT_DATA && b[off + 1] === 0 && size - payloadAt >= minBytes) {
      const payload = Buffer.from(b.subarray(off + payloadAt, off + size));
      const packed = kind === "lz4" ? lz4Block(payload) : xzStream(payload);
      if (packed.length < payload.length) {
        packed.copy(b, off + payloadAt);
        b.fill(0, off + payloadAt + packed.length, off + size);
        b[off + 1] = kind === "lz4" ? 2 : 1;
        b.writeBigUInt64LE(BigInt(payloadAt + packed.length), off + 8);
        rewritten++;
      }
    }
    off += Math.ceil(size / 8) * 8;
  }
  b.writeUInt32LE(b.readUInt32LE(12) | (kind === "lz4" ? 1 << 1 : 1 << 0), 12);
  writeFileSync(file, b);
  return rewritten;
}
