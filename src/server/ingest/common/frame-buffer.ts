// The bytes of one frame (line or syslog message) while it arrives, bounded: beyond maxBytes the
// rest is dropped and the frame is flagged truncated, so a client never makes us buffer more.
export class FrameBuffer {
  private parts: Buffer[] = [];
  private len = 0;
  truncated = false;

  constructor(readonly maxBytes: number) {}

  get length(): number {
    return this.len;
  }

  append(chunk: Buffer, start: number, end: number): void {
    const room = this.maxBytes - this.len;
    const n = end - start;
    if (n <= 0) return;
    if (n > room) {
      this.truncated = true;
      if (room <= 0) return;
      end = start + room;
    }
    this.parts.push(chunk.subarray(start, end));
    this.len += end - start;
  }

  /** The frame so far (trailing CR removed when `stripCr`), and a fresh start. */
  take(stripCr: boolean): { bytes: Buffer; truncated: boolean } {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.len);
    if (stripCr && bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    if (this.truncated) bytes = cutAtCharBoundary(bytes);
    const out = { bytes, truncated: this.truncated };
    this.parts = [];
    this.len = 0;
    this.truncated = false;
    return out;
  }
}

/** Drops an incomplete UTF-8 sequence at the end (left by truncation), so it decodes cleanly. */
export function cutAtCharBoundary(b: Buffer): Buffer {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && (b[i]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return b;
  const lead = b[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? b.subarray(0, i) : b;
}
