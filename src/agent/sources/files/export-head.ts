// The first four lines journalctl writes for an entry, written as bytes straight into the entry's
// buffer (no strings: this runs once per entry):
//   __CURSOR=s=<seqnum id>;i=<seqnum hex>;b=<boot id>;m=<monotonic hex>;t=<realtime hex>;x=<xor hash hex>
//   __REALTIME_TIMESTAMP=<decimal>  __MONOTONIC_TIMESTAMP=<decimal>  _BOOT_ID=<boot id>
// Hex without leading zeros, as sd_journal_get_cursor's %llx; see location.ts cursorOf for the text.
import type { EntryHead } from "./objects.js";

const HEX = Buffer.from("0123456789abcdef", "latin1");
const TWO32 = 4294967296;

function hexDigits32(v: number): number {
  let n = 1;
  while (n < 8 && v >>> (4 * n) !== 0) n++;
  return n;
}

/** Hex digits of an integer below 2^53. */
function hexLen(v: number): number {
  const hi = Math.floor(v / TWO32);
  return hi === 0 ? hexDigits32(v >>> 0) : hexDigits32(hi) + 8;
}

function hex32(b: Buffer, at: number, v: number, digits: number): number {
  for (let i = digits - 1; i >= 0; i--) {
    b[at + i] = HEX[v & 15]!;
    v >>>= 4;
  }
  return at + digits;
}

function hex64(b: Buffer, at: number, hi: number, lo: number): number {
  if (hi === 0) return hex32(b, at, lo, hexDigits32(lo));
  at = hex32(b, at, hi, hexDigits32(hi));
  return hex32(b, at, lo, 8);
}

function hexNum(b: Buffer, at: number, v: number): number {
  const hi = Math.floor(v / TWO32);
  return hex64(b, at, hi, (v - hi * TWO32) >>> 0);
}

function decLen(v: number): number {
  let n = 1;
  while (v >= 10) {
    v = Math.floor(v / 10);
    n++;
  }
  return n;
}

function dec(b: Buffer, at: number, v: number, digits: number): number {
  for (let i = digits - 1; i >= 0; i--) {
    const q = Math.floor(v / 10);
    b[at + i] = 48 + (v - q * 10);
    v = q;
  }
  return at + digits;
}

function ascii(b: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i);
  return at + s.length;
}

export interface HeadLayout {
  cursorLen: number;
  rtLen: number;
  monoLen: number;
  /** Bytes of the four lines. */
  total: number;
}

/** The lengths of the head's parts (to size the buffer before writing). */
export function headLayout(h: EntryHead): HeadLayout {
  const xLen = h.xorHi === 0 ? hexDigits32(h.xorLo) : hexDigits32(h.xorHi) + 8;
  const cursorLen = 2 + 32 + 3 + hexLen(h.seqnum) + 3 + 32 + 3 + hexLen(h.monotonic) + 3 + hexLen(h.realtime) + 3 + xLen;
  const rtLen = decLen(h.realtime);
  const monoLen = decLen(h.monotonic);
  return { cursorLen, rtLen, monoLen, total: 9 + cursorLen + 1 + 21 + rtLen + 1 + 22 + monoLen + 1 + 9 + 32 + 1 };
}

/** Writes the head at 0; `seqnumIdHex` is the file's seqnum id as 32 ASCII hex bytes. Returns its end. */
export function writeHead(b: Buffer, h: EntryHead, seqnumIdHex: Buffer, bootHex: Buffer, l: HeadLayout): number {
  let at = ascii(b, 0, "__CURSOR=s=");
  b.set(seqnumIdHex, at);
  at = ascii(b, at + 32, ";i=");
  at = hexNum(b, at, h.seqnum);
  at = ascii(b, at, ";b=");
  b.set(bootHex, at);
  at = ascii(b, at + 32, ";m=");
  at = hexNum(b, at, h.monotonic);
  at = ascii(b, at, ";t=");
  at = hexNum(b, at, h.realtime);
  at = ascii(b, at, ";x=");
  at = hex64(b, at, h.xorHi, h.xorLo);
  at = ascii(b, at, "\n__REALTIME_TIMESTAMP=");
  at = dec(b, at, h.realtime, l.rtLen);
  at = ascii(b, at, "\n__MONOTONIC_TIMESTAMP=");
  at = dec(b, at, h.monotonic, l.monoLen);
  at = ascii(b, at, "\n_BOOT_ID=");
  b.set(bootHex, at);
  at += 32;
  b[at++] = 10;
  return at;
}
