// POST /api/v1/ingest/journal — the agent's acknowledged batch API (docs/architecture.md).
// Token → log; body: journal export format (application/vnd.fdo.journal), gzip or not; the whole
// batch is stored in one transaction; 200 {"accepted","duplicates","last_cursor"} after commit.
import type { FastifyInstance } from "fastify";
import type { Readable } from "node:stream";
import { LogharborError } from "../../../core/errors.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { logOfRequest } from "../token.js";
import { readJournalBatch } from "./read-batch.js";

export const JOURNAL_CONTENT_TYPE = "application/vnd.fdo.journal";

export interface JournalIngestOptions {
  store: Store;
  metrics: ServerMetrics;
  maxBatchBytes: number;
}

export function registerJournalIngest(app: FastifyInstance, opts: JournalIngestOptions): void {
  // Hands the raw request stream to the route, which parses it as it arrives.
  app.addContentTypeParser(JOURNAL_CONTENT_TYPE, (_req, payload, done) => done(null, payload));

  app.post("/api/v1/ingest/journal", async (req) => {
    const { store, metrics } = opts;
    const count = (result: string, n = 1) => metrics.ingestEntries.inc({ protocol: "journal", result }, n);
    try {
      const log = logOfRequest(req, store);
      const body = req.body as Readable | undefined;
      if (body === undefined || typeof (body as Readable).pipe !== "function") {
        throw new LogharborError("LH_ERR_BATCH", `ingest: expected a body of Content-Type ${JOURNAL_CONTENT_TYPE}`, { status: 415 });
      }
      const enc = req.headers["content-encoding"];
      const batch = await readJournalBatch(body, { maxBytes: opts.maxBatchBytes, ...(enc ? { contentEncoding: enc } : {}) });
      const r = store.insert(log.id, batch.events);
      count("accepted", r.inserted);
      count("duplicate", r.duplicates);
      metrics.ingestBatches.inc({ protocol: "journal", result: "ok" });
      req.log.debug({ log: log.name, accepted: r.inserted, duplicates: r.duplicates, bytes: batch.bytes }, "stored a journal batch");
      return { accepted: r.inserted, duplicates: r.duplicates, last_cursor: batch.lastCursor ?? null };
    } catch (e) {
      metrics.ingestBatches.inc({ protocol: "journal", result: "error" });
      throw e;
    }
  });
}
