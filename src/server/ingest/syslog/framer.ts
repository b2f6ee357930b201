// Syslog over a stream (RFC 6587): each frame is either octet-counted ("LEN SP MSG") or ends at
// LF, decided by its first byte (a digit means octet counting). Frames are bounded: beyond
// maxBytes the rest is skipped and the frame flagged truncated.
import { FrameBuffer } from "../common/frame-buffer.js";
import type { FrameSink } from "../common/line-splitter.js";

const MAX_DIGITS = 10;

export class SyslogFramer {
  private state: "start" | "count" | "octets" | "line" = "start";
  private digits = "";
  private remaining = 0;
  private readonly buf: FrameBuffer;

  constructor(maxBytes: number) {
    this.buf = new FrameBuffer(maxBytes);
  }

  push(chunk: Buffer, out: FrameSink): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case "start": {
          const c = chunk[i]!;
          if (c === 10 || c === 13 || c === 0) {
            i++;
          } else if (c >= 48 && c <= 57) {
            this.state = "count";
            this.digits = "";
          } else {
            this.state = "line";
          }
          break;
        }
        case "count": {
          const c = chunk[i]!;
          if (c >= 48 && c <= 57 && this.digits.length < MAX_DIGITS) {
            this.digits += String.fromCharCode(c);
            i++;
          } else if (c === 32 && this.digits.length > 0) {
            i++;
            this.remaining = Number(this.digits);
            this.state = "octets";
            if (this.remaining === 0) this.emit(out, false);
          } else {
            // Not an octet count after all: the digits begin a newline-framed line.
            const d = Buffer.from(this.digits, "latin1");
            this.buf.append(d, 0, d.length);
            this.state = "line";
          }
          break;
        }
        case "octets": {
          const n = Math.min(this.remaining, chunk.length - i);
          this.buf.append(chunk, i, i + n);
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.emit(out, false);
          break;
        }
        case "line": {
          const nl = chunk.indexOf(10, i);
          if (nl < 0) {
            this.buf.append(chunk, i, chunk.length);
            i = chunk.length;
          } else {
            this.buf.append(chunk, i, nl);
            i = nl + 1;
            this.emit(out, true);
          }
          break;
        }
      }
    }
  }

  /** True while a message is incomplete. */
  get pending(): boolean {
    return this.state !== "start";
  }

  /** A newline-framed last message without its newline; an incomplete octet-counted one is cut. */
  end(out: FrameSink): void {
    if (this.state === "line" || (this.state === "octets" && this.buf.length > 0)) {
      const f = this.buf.take(true);
      out(f.bytes, f.truncated || this.state === "octets");
    }
    this.state = "start";
  }

  private emit(out: FrameSink, stripCr: boolean): void {
    const f = this.buf.take(stripCr);
    this.state = "start";
    out(f.bytes, f.truncated);
  }
}
