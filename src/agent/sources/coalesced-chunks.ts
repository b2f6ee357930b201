// Reads a byte stream as few, large chunks: everything buffered since the last read at once.
// gatewayd writes one HTTP chunk per journal entry, so `for await` over the response yields one
// entry at a time (a round trip through the async generators and the pipeline for each); reading
// whatever has accumulated lets a reader that fell behind catch up in bulk.
import type { Readable } from "node:stream";

/** Yields the stream's data, each time all that is buffered; ends at 'end' or 'close'; throws its error. */
export async function* coalescedChunks(stream: Readable): AsyncGenerator<Buffer, void, undefined> {
  let wake: (() => void) | undefined;
  let done = false;
  let failure: { error: unknown } | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onEnd = () => {
    done = true;
    notify();
  };
  const onError = (error: unknown) => {
    failure ??= { error };
    notify();
  };
  stream.on("readable", notify);
  stream.on("end", onEnd);
  stream.on("close", onEnd);
  stream.on("error", onError);
  try {
    for (;;) {
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) yield chunk;
      if (failure !== undefined) throw failure.error;
      if (done || stream.readableEnded || stream.destroyed) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off("readable", notify);
    stream.off("end", onEnd);
    stream.off("close", onEnd);
    stream.off("error", onError);
  }
}
