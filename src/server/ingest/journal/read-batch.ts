// Reads one batch body (journal export format, optionally gzip or deflate) as a stream: chunks
// go through the export parser as they arrive, entries become events and go into the store's batch
// at once, and the raw body is never held whole. Stops with 413 beyond maxBytes decompressed.
import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { LogharborError } from "../../../core/errors.js";
import { ExportParser } from "../../../core/journal/export-parser.js";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import type { EventBatch } from "../../storage/store.js";
import { journalEntryToEvent } from "./to-event.js";

export const DEFAULT_MAX_BATCH_BYTES = 64 * 1024 * 1024;

export interface JournalBatch {
  /** Entries read (each added to the batch). */
  entries: number;
  /** The cursor of the last entry that has one. */
  lastCursor: string | undefined;
  bytes: number;
}

function decoder(body: Readable, encoding: string | undefined): Readable {
  const enc = (encoding ?? "identity").trim().toLowerCase();
  if (enc === "identity" || enc === "") return body;
  const z = enc === "gzip" || enc === "x-gzip" ? createGunzip({ chunkSize: 65536 }) : enc === "deflate" ? createInflate({ chunkSize: 65536 }) : undefined;
  if (!z) {
    throw new LogharborError("LH_ERR_BATCH", `Content-Encoding: expected gzip, deflate or identity, got "${encoding}"`, { status: 415 });
  }
  body.on("error", (e) => z.destroy(e));
  return body.pipe(z);
}

/** Reads the body into `batch` (Store.newBatch()); what it read of a failed body must not be stored. */
export async function readJournalBatch(body: Readable, batch: EventBatch, opts: { contentEncoding?: string; maxBytes?: number } = {}): Promise<JournalBatch> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const parser = new ExportParser({ maxEntryBytes: maxBytes });
  let count = 0;
  let lastCursor: string | undefined;
  let bytes = 0;
  const nowUs = Date.now() * 1000;
  const take = (entries: ExportEntry[]) => {
    for (const e of entries) {
      batch.add(journalEntryToEvent(e, nowUs));
      count++;
      const c = e.cursor;
      if (c !== undefined) lastCursor = c;
    }
  };
  const stream = decoder(body, opts.contentEncoding);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        throw new LogharborError(
          "LH_ERR_BATCH_TOO_LARGE",
          `ingest: batch is larger than the limit of ${maxBytes} bytes (decompressed); send smaller batches or raise the server's limit`,
          { status: 413 },
        );
      }
      take(parser.push(chunk));
    }
    take(parser.end());
  } catch (e) {
    if (e instanceof LogharborError) throw e;
    const code = (e as { code?: string }).code ?? "";
    if (code.startsWith("Z_")) {
      throw new LogharborError("LH_ERR_BATCH", `ingest: the body is not valid ${opts.contentEncoding} data (${(e as Error).message}); nothing was stored`);
    }
    if (code === "ECONNRESET" || (e as Error).message === "aborted") {
      throw new LogharborError("LH_ERR_BATCH", "ingest: the client closed the connection before the batch was complete; nothing was stored");
    }
    throw e;
  }
  return { entries: count, lastCursor, bytes };
}
