// A journal source the test feeds by hand, for pipeline tests that need to control exactly which
// chunks arrive when (the real sources are tested against real journals in their own tests). It
// behaves as a real source does: chunks are delivered in order only as fast as the consumer pulls
// (`pulls` counts them), `lastCursor` is the cursor of the last entry delivered, close() ends a
// pending read at once, and end() lets the reading finish once the fed chunks are taken (a journal
// read to its end without following).
import type { ExportEntry } from "../../src/core/journal/export-entry.js";
import type { Source } from "../../src/agent/sources/source.js";

export class FedSource implements Source {
  readonly description = "test";
  /** Chunks the consumer pulled. */
  pulls = 0;
  private queue: ExportEntry[][] = [];
  private wakeUp: (() => void) | undefined;
  private closed = false;
  private ended = false;
  private last: string | undefined;

  get lastCursor(): string | undefined {
    return this.last;
  }

  feed(chunk: ExportEntry[]): void {
    this.queue.push(chunk);
    this.wake();
  }

  /** No more chunks: the reading ends once the fed ones are taken. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async *read(): AsyncGenerator<ExportEntry[], void, undefined> {
    for (;;) {
      while (this.queue.length === 0 && !this.closed && !this.ended) await new Promise<void>((r) => (this.wakeUp = r));
      if (this.closed || this.queue.length === 0) return;
      const chunk = this.queue.shift()!;
      this.pulls++;
      const c = chunk[chunk.length - 1]?.cursor;
      if (c !== undefined) this.last = c;
      yield chunk;
    }
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }
}
