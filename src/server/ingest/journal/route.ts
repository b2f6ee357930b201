// POST /api/v1/ingest/journal — the agent's acknowledged batch API (docs/architecture.md).
// Token → log; body: journal export format (application/vnd.fdo.journal), gzip or not; the whole
// batch is stored in one transaction; 200 {"accepted","duplicates","last_cursor"} after commit
// (the insert settles after its transaction is committed and fsynced: an acknowledged batch survives a crash).
// Overload: beyond maxInFlight batches being read at once, 503 with Retry-After instead of queueing
// (each batch in flight holds its decoded events in memory; this bounds that memory).
import type { FastifyInstance } from "fastify";
import type { Readable } from "node:stream";
import { LogharborError } from "../../../core/errors.js";
import type { ServerMetrics } from "../../metrics.js";
import type { Store } from "../../storage/store.js";
import { logOfRequest } from "../token.js";
import { readJournalBatch } from "./read-batch.js";
import { AGENT_REPORT_HEADER, decodeAgentReport } from "../../../core/wire/agent-report.js";
import type { AgentReports } from "../../fleet/agent-reports.js";

export const JOURNAL_CONTENT_TYPE = "application/vnd.fdo.journal";

export interface JournalIngestOptions {
  store: Store;
  metrics: ServerMetrics;
  maxBatchBytes: number;
  /** Batches read at once at most; more get 503 + Retry-After. */
  maxInFlight?: number;
  /** Where the agent's report that comes with a batch (X-Logharbor-Agent) goes: the fleet view. */
  agentReports?: AgentReports;
}

export const DEFAULT_MAX_INGEST_IN_FLIGHT = 8;

export function registerJournalIngest(app: FastifyInstance, opts: JournalIngestOptions): void {
  // Hands the raw request stream to the route, which parses it as it arrives.
  app.addContentTypeParser(JOURNAL_CONTENT_TYPE, (_req, payload, done) => done(null, payload));

  let inFlight = 0;
  const maxInFlight = opts.maxInFlight ?? DEFAULT_MAX_INGEST_IN_FLIGHT;
  app.post("/api/v1/ingest/journal", async (req, reply) => {
    const { store, metrics } = opts;
    if (inFlight >= maxInFlight) {
      metrics.ingestBatches.inc({ protocol: "journal", result: "overloaded" });
      reply.header("connection", "close");
      return reply
        .code(503)
        .header("retry-after", "1")
        .send({ error: { code: "LH_ERR_OVERLOADED", message: `ingest: ${inFlight} batches are being stored already (at most ${maxInFlight}); retry after 1 s` } });
    }
    inFlight++;
    const count = (result: string, n = 1) => metrics.ingestEntries.inc({ protocol: "journal", result }, n);
    try {
      const log = logOfRequest(req, store);
      const body = req.body as Readable | undefined;
      if (body === undefined || typeof (body as Readable).pipe !== "function") {
        throw new LogharborError("LH_ERR_BATCH", `ingest: expected a body of Content-Type ${JOURNAL_CONTENT_TYPE}`, { status: 415 });
      }
      const enc = req.headers["content-encoding"];
      const events = store.newBatch();
      const batch = await readJournalBatch(body, events, { maxBytes: opts.maxBatchBytes, ...(enc ? { contentEncoding: enc } : {}) });
      const r = await store.insertBatch(log.id, events);
      const report = opts.agentReports && decodeAgentReport(req.headers[AGENT_REPORT_HEADER]);
      if (report) opts.agentReports!.record(report);
      count("accepted", r.inserted);
      count("duplicate", r.duplicates);
      metrics.ingestBatches.inc({ protocol: "journal", result: "ok" });
      req.log.debug({ log: log.name, accepted: r.inserted, duplicates: r.duplicates, bytes: batch.bytes }, "stored a journal batch");
      return { accepted: r.inserted, duplicates: r.duplicates, last_cursor: batch.lastCursor ?? null };
    } catch (e) {
      metrics.ingestBatches.inc({ protocol: "journal", result: "error" });
      throw e;
    } finally {
      inFlight--;
    }
  });
}
