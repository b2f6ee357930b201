// The journal file header (systemd's JOURNAL_FILE_FORMAT.md, "Header"): signature, flags, state,
// ids, and the tail fields a follower watches (n_entries, tail_object_offset, ...). Little-endian.
import { JournalFileError } from "./journal-file-error.js";

export const SIGNATURE = Buffer.from("LPKSHHRH", "latin1");
/** The header as systemd 187 wrote it; later versions append fields (252: 264, 254: 272 bytes). */
export const MIN_HEADER_SIZE = 208;
export const HEADER_READ_BYTES = 272;

export const INCOMPATIBLE_COMPRESSED_XZ = 1 << 0;
export const INCOMPATIBLE_COMPRESSED_LZ4 = 1 << 1;
export const INCOMPATIBLE_KEYED_HASH = 1 << 2;
export const INCOMPATIBLE_COMPRESSED_ZSTD = 1 << 3;
export const INCOMPATIBLE_COMPACT = 1 << 4;
const INCOMPATIBLE_SUPPORTED = 0x1f;

export type FileState = "OFFLINE" | "ONLINE" | "ARCHIVED";
const STATES: readonly FileState[] = ["OFFLINE", "ONLINE", "ARCHIVED"];

export interface Header {
  incompatibleFlags: number;
  state: FileState;
  fileId: string;
  machineId: string;
  seqnumId: string;
  headerSize: number;
  arenaSize: number;
  tailObjectOffset: number;
  nEntries: number;
  entryArrayOffset: number;
  compact: boolean;
}

const hex = (b: Buffer, at: number) => b.toString("hex", at, at + 16);

/** Reads a u64 that must fit a JS number (offsets, counts): larger is corruption. */
export function u64(b: Buffer, at: number, what: string, file: string, base: number): number {
  const lo = b.readUInt32LE(at);
  const hi = b.readUInt32LE(at + 4);
  if (hi >= 0x200000) throw new JournalFileError(file, base + at, `${what} is ${b.readBigUInt64LE(at)}, larger than any journal file`);
  return hi * 0x100000000 + lo;
}

export function parseHeader(b: Buffer, file: string, fileSize: number): Header {
  if (b.length < MIN_HEADER_SIZE) throw new JournalFileError(file, 0, `the file has ${b.length} bytes, fewer than a journal header (${MIN_HEADER_SIZE})`);
  if (!b.subarray(0, 8).equals(SIGNATURE)) throw new JournalFileError(file, 0, `not a journal file: expected the signature "LPKSHHRH", got ${JSON.stringify(b.toString("latin1", 0, 8))}`);
  const incompatibleFlags = b.readUInt32LE(12);
  if ((incompatibleFlags & ~INCOMPATIBLE_SUPPORTED) !== 0) {
    throw new JournalFileError(file, 12, `unsupported incompatible flags 0x${incompatibleFlags.toString(16)} (this reader knows XZ, LZ4, ZSTD, KEYED-HASH and COMPACT: 0x1f)`);
  }
  const stateByte = b[16]!;
  const state = STATES[stateByte];
  if (state === undefined) throw new JournalFileError(file, 16, `unknown file state ${stateByte} (expected 0 OFFLINE, 1 ONLINE or 2 ARCHIVED)`);
  const headerSize = u64(b, 88, "header_size", file, 0);
  if (headerSize < MIN_HEADER_SIZE || headerSize > fileSize) throw new JournalFileError(file, 88, `header_size ${headerSize} is out of range (file of ${fileSize} bytes)`);
  return {
    incompatibleFlags,
    state,
    fileId: hex(b, 24),
    machineId: hex(b, 40),
    seqnumId: hex(b, 72),
    headerSize,
    arenaSize: u64(b, 96, "arena_size", file, 0),
    tailObjectOffset: u64(b, 136, "tail_object_offset", file, 0),
    nEntries: u64(b, 152, "n_entries", file, 0),
    entryArrayOffset: u64(b, 176, "entry_array_offset", file, 0),
    compact: (incompatibleFlags & INCOMPATIBLE_COMPACT) !== 0,
  };
}

/** The incompatible flags as journalctl --header names them. */
export function describeFlags(flags: number): string {
  const names: string[] = [];
  if (flags & INCOMPATIBLE_COMPRESSED_XZ) names.push("COMPRESSED-XZ");
  if (flags & INCOMPATIBLE_COMPRESSED_LZ4) names.push("COMPRESSED-LZ4");
  if (flags & INCOMPATIBLE_KEYED_HASH) names.push("KEYED-HASH");
  if (flags & INCOMPATIBLE_COMPRESSED_ZSTD) names.push("COMPRESSED-ZSTD");
  if (flags & INCOMPATIBLE_COMPACT) names.push("COMPACT");
  return names.join(" ");
}
