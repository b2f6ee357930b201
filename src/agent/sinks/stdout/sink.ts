// The sink for stdout: (debugging): each entry one line of JSON as `journalctl -o json` writes it,
// acknowledged once the stream took the bytes. Our own logs go to stderr, so stdout holds only entries.
import type { Ack, BatchSink } from "../../pipeline.js";
import { ndjsonBatch } from "../file/sink.js";

export class StdoutSink implements BatchSink {
  readonly display = "stdout:";
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  send(body: Buffer, _entries: number): Promise<Ack> {
    const run = () =>
      new Promise<Ack>((resolve, reject) => {
        const { bytes, entries } = ndjsonBatch(body);
        this.out.write(bytes, (e) => (e ? reject(e) : resolve({ accepted: entries, duplicates: 0 })));
      });
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }

  close(): void {}
}
