// Splits a byte stream into LF-terminated lines (CR LF too), each at most maxBytes: a longer line
// is cut there, flagged truncated, and its rest skipped up to the next newline. Another delimiter
// byte may be given (GELF over TCP: NUL); CR is then not special.
import { FrameBuffer } from "./frame-buffer.js";

export type FrameSink = (bytes: Buffer, truncated: boolean) => void;

export class LineSplitter {
  private readonly buf: FrameBuffer;

  private readonly cr: boolean;

  constructor(maxBytes: number, private readonly delimiter = 10) {
    this.buf = new FrameBuffer(maxBytes);
    this.cr = delimiter === 10;
  }

  push(chunk: Buffer, out: FrameSink): void {
    let start = 0;
    const max = this.buf.maxBytes;
    while (start < chunk.length) {
      const nl = chunk.indexOf(this.delimiter, start);
      if (nl < 0) {
        this.buf.append(chunk, start, chunk.length);
        return;
      }
      if (this.buf.length === 0 && !this.buf.truncated && nl - start <= max) {
        // The whole line is in this chunk (the common case): no copy, no bookkeeping.
        out(chunk.subarray(start, this.cr && nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl), false);
      } else {
        this.buf.append(chunk, start, nl);
        const f = this.buf.take(this.cr);
        out(f.bytes, f.truncated);
      }
      start = nl + 1;
    }
  }

  /** True while a line is incomplete (bytes read since the last newline). */
  get pending(): boolean {
    return this.buf.length > 0 || this.buf.truncated;
  }

  /** The last line when the stream ends without a newline. */
  end(out: FrameSink): void {
    if (this.buf.length === 0 && !this.buf.truncated) return;
    const f = this.buf.take(this.cr);
    out(f.bytes, f.truncated);
  }
}
