// The sink for file:///path: each entry one line of JSON as `journalctl -o json` writes it
// (common/entry-json.ts), appended and fdatasync'd before the batch is acknowledged, the file
// rotated by size (rotating-file.ts). Batches are written one at a time, in order.
import { parseExport } from "../../../core/journal/export-parser.js";
import { LogharborError } from "../../../core/errors.js";
import type { Logger } from "../../logger.js";
import type { Ack, BatchSink } from "../../pipeline.js";
import { entryToJson, ndjsonLine } from "../common/entry-json.js";
import { RotatingFile } from "./rotating-file.js";

export const DEFAULT_FILE_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_FILE_MAX_FILES = 5;

export interface FileSinkOptions {
  path: string;
  display: string;
  maxBytes: number;
  maxFiles: number;
  log: Logger;
}

/** A batch as NDJSON lines. */
export function ndjsonBatch(body: Buffer): { bytes: Buffer; entries: number } {
  const entries = parseExport(body);
  let s = "";
  for (const e of entries) s += ndjsonLine(entryToJson(e));
  return { bytes: Buffer.from(s), entries: entries.length };
}

export class FileSink implements BatchSink {
  readonly display: string;
  readonly file: RotatingFile;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly o: FileSinkOptions) {
    this.display = o.display;
    this.file = new RotatingFile(o.path, o.maxBytes, o.maxFiles);
  }

  send(body: Buffer, _entries: number): Promise<Ack> {
    const run = async (): Promise<Ack> => {
      if (this.closed) throw new LogharborError("LH_ERR_SINK", "the sink was closed before the batch was written");
      const { bytes, entries } = ndjsonBatch(body);
      try {
        await this.file.write(bytes);
      } catch (e) {
        // A full disk or a permission problem: every batch would fail the same way.
        this.o.log.error({ destination: this.display, err: (e as Error).message }, "could not write to the file");
        throw new LogharborError("LH_ERR_SINK", `${this.display}: could not write: ${(e as Error).message}`, { cause: e });
      }
      return { accepted: entries, duplicates: 0 };
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }

  close(): void {
    this.closed = true;
    void this.tail.then(() => this.file.close());
  }
}
