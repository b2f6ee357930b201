// Cuts a byte stream into whole MessagePack values (the forward protocol sends them back to back,
// without framing), checking each value's structure before anything is decoded, so a MessagePack
// bomb costs nothing: a declared string, binary or extension longer than the frame limit, an array
// or map declaring more items than the limit has bytes, or nesting deeper than maxDepth is refused
// at its header, before its bytes are awaited; a value still incomplete at maxBytes is refused too.
// The scan resumes where it stopped when more bytes arrive (no value is scanned twice), and the
// bytes of one value are held in one buffer that grows to at most maxBytes plus one read.
export type FrameError = "too_large" | "too_deep" | "malformed";

export interface FramerLimits {
  /** Largest value, in bytes. */
  maxBytes: number;
  /** Deepest nesting of arrays and maps (the top-level value is depth 1). */
  maxDepth: number;
}

export type FrameSink = (frame: Buffer) => void;

export class FrameRefused extends Error {
  constructor(readonly reason: FrameError, message: string) {
    super(message);
  }
}

export class MsgpackFramer {
  private buf = Buffer.alloc(0);
  /** Start of the value being scanned, how far it is scanned, and the end of the bytes held. */
  private start = 0;
  private scan = 0;
  private end = 0;
  /** Items still expected at each open array / map level. */
  private readonly stack: number[] = [];

  constructor(private readonly limits: FramerLimits) {}

  /** True while a value is incomplete. */
  get pending(): boolean {
    return this.end > this.start;
  }

  /**
   * Takes bytes; calls out with each whole value (a view of the framer's buffer, valid only during the
   * call). Throws FrameRefused; the framer is then unusable.
   */
  push(chunk: Buffer, out: FrameSink): void {
    this.append(chunk);
    for (;;) {
      const r = this.step();
      if (r === undefined) return;
      out(this.buf.subarray(this.start, r));
      this.start = r;
      this.scan = r;
    }
  }

  private append(chunk: Buffer): void {
    const held = this.end - this.start;
    if (this.start > 0 && held === 0) {
      this.start = this.scan = this.end = 0;
    }
    if (this.end + chunk.length > this.buf.length) {
      const need = held + chunk.length;
      const next = Buffer.allocUnsafe(Math.max(need, Math.min(this.buf.length * 2, this.limits.maxBytes + chunk.length), 64 * 1024));
      this.buf.copy(next, 0, this.start, this.end);
      this.scan -= this.start;
      this.end = held;
      this.start = 0;
      this.buf = next;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  private refuse(reason: FrameError, what: string): never {
    throw new FrameRefused(reason, what);
  }

  /** Scans on; the end offset of a whole value, or undefined when more bytes are needed. */
  private step(): number | undefined {
    const b = this.buf;
    const { maxBytes, maxDepth } = this.limits;
    const stack = this.stack;
    for (;;) {
      const at = this.scan;
      if (at >= this.end) return this.incomplete();
      const t = b[at]!;
      let head = 1;
      let body = 0;
      let items = 0;
      if (t <= 0x7f || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) {
        // fixint, nil, bool
      } else if (t <= 0x8f) items = (t & 0x0f) * 2;
      else if (t <= 0x9f) items = t & 0x0f;
      else if (t <= 0xbf) body = t & 0x1f;
      else {
        const sizes = FIXED[t - 0xc0]!;
        head = sizes[0];
        if (at + head > this.end) return this.incomplete();
        const lenBytes = sizes[1];
        const len = lenBytes === 0 ? 0 : lenBytes === 1 ? b[at + 1]! : lenBytes === 2 ? b.readUInt16BE(at + 1) : b.readUInt32BE(at + 1);
        switch (sizes[2]) {
          case BAD:
            this.refuse("malformed", `byte 0x${t.toString(16)} at offset ${at - this.start} is not a MessagePack type`);
          case BODY:
            body = len + sizes[3];
            break;
          case ITEMS:
            items = len * sizes[3];
            break;
          default:
            body = sizes[3];
        }
      }
      if (body > maxBytes || head + body + (at - this.start) > maxBytes) {
        this.refuse("too_large", `a MessagePack value of ${head + body + (at - this.start)} bytes or more (at most ${maxBytes})`);
      }
      if (items > maxBytes) this.refuse("too_large", `a MessagePack array or map declaring ${items} items (at most ${maxBytes}, the frame limit in bytes)`);
      if (at + head + body > this.end) return this.incomplete();
      this.scan = at + head + body;
      if (items > 0) {
        if (stack.length >= maxDepth) this.refuse("too_deep", `MessagePack nesting deeper than ${maxDepth} levels`);
        stack.push(items);
        continue;
      }
      // One item done: close every container it completes.
      while (stack.length > 0) {
        const top = stack.length - 1;
        if (--stack[top]! > 0) break;
        stack.pop();
      }
      if (stack.length === 0) return this.scan;
    }
  }

  private incomplete(): undefined {
    if (this.end - this.start > this.limits.maxBytes) {
      this.refuse("too_large", `a MessagePack value longer than ${this.limits.maxBytes} bytes`);
    }
    return undefined;
  }
}

const FIX = 0;
const BODY = 1;
const ITEMS = 2;
const BAD = 3;
/** For types 0xc0..0xdf: [header bytes, length bytes, kind, fixed body | body added to len | items per len]. */
const FIXED: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 0, FIX, 0], [1, 0, BAD, 0], [1, 0, FIX, 0], [1, 0, FIX, 0], // c0 nil, c1 never used, c2 false, c3 true
  [2, 1, BODY, 0], [3, 2, BODY, 0], [5, 4, BODY, 0], // c4..c6 bin 8/16/32
  [2, 1, BODY, 1], [3, 2, BODY, 1], [5, 4, BODY, 1], // c7..c9 ext 8/16/32 (+1 type byte)
  [1, 0, FIX, 4], [1, 0, FIX, 8], // ca float32, cb float64
  [1, 0, FIX, 1], [1, 0, FIX, 2], [1, 0, FIX, 4], [1, 0, FIX, 8], // cc..cf uint
  [1, 0, FIX, 1], [1, 0, FIX, 2], [1, 0, FIX, 4], [1, 0, FIX, 8], // d0..d3 int
  [1, 0, FIX, 2], [1, 0, FIX, 3], [1, 0, FIX, 5], [1, 0, FIX, 9], [1, 0, FIX, 17], // d4..d8 fixext (+1 type byte)
  [2, 1, BODY, 0], [3, 2, BODY, 0], [5, 4, BODY, 0], // d9..db str 8/16/32
  [3, 2, ITEMS, 1], [5, 4, ITEMS, 1], // dc, dd array 16/32
  [3, 2, ITEMS, 2], [5, 4, ITEMS, 2], // de, df map 16/32
];
