// POST /upload and POST /t/{token}/upload: the systemd-journal-remote upload endpoint, so stock
// systemd-journal-upload --url=http://server:8080/t/TOKEN ships a host's journal with no agent
// (journal-upload appends /upload to the URL). Body: journal export format, chunked, as long as
// the journal is; stored as it arrives, in transactions of a few thousand entries, deduplicated by
// journal identity (so a resumed upload, which repeats its saved cursor's entry, stores nothing
// twice). Answers like journal-remote: 202 "OK." once everything is committed; any error is a
// non-2xx, on which journal-upload stops (entries before the error stay stored).
import type { FastifyInstance } from "fastify";
import type { Readable } from "node:stream";
import { LogharborError } from "../../../core/errors.js";
import { ExportParser } from "../../../core/journal/export-parser.js";
import type { ServerMetrics } from "../../metrics.js";
import type { LogInfo, NewEvent, Store } from "../../storage/store.js";
import { TokenResolver } from "../common/token-resolver.js";
import { logOfRequest } from "../token.js";
import { journalEntryToEvent } from "../journal/to-event.js";

const COMMIT_EVERY = 2000;
const PROTOCOL = "journal-upload";

export interface JournalUploadOptions {
  store: Store;
  metrics: ServerMetrics;
  /** Largest single entry. */
  maxEntryBytes: number;
}

export function registerJournalUpload(app: FastifyInstance, opts: JournalUploadOptions): void {
  const tokens = new TokenResolver(opts.store);
  const { store, metrics } = opts;
  const count = (result: string, n: number) => n > 0 && metrics.ingestEntries.inc({ protocol: PROTOCOL, result }, n);

  const receive = async (log: LogInfo, body: unknown, encoding: string | undefined): Promise<number> => {
    if (body === undefined || typeof (body as Readable).pipe !== "function") {
      throw new LogharborError("LH_ERR_BATCH", "upload: expected a body of Content-Type application/vnd.fdo.journal", { status: 415 });
    }
    if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
      throw new LogharborError("LH_ERR_BATCH", `upload: Content-Encoding: expected identity, got "${encoding}"`, { status: 415 });
    }
    const parser = new ExportParser({ maxEntryBytes: opts.maxEntryBytes });
    let events: NewEvent[] = [];
    let total = 0;
    const commit = () => {
      if (events.length === 0) return;
      const r = store.insert(log.id, events);
      count("accepted", r.inserted);
      count("duplicate", r.duplicates);
      total += events.length;
      events = [];
    };
    const nowUs = Date.now() * 1000;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        for (const e of parser.push(chunk)) events.push(journalEntryToEvent(e, nowUs));
        if (events.length >= COMMIT_EVERY) commit();
      }
      for (const e of parser.end()) events.push(journalEntryToEvent(e, nowUs));
      commit();
    } catch (e) {
      commit();
      if (e instanceof LogharborError) throw e;
      const code = (e as { code?: string }).code ?? "";
      if (code === "ECONNRESET" || (e as Error).message === "aborted") {
        throw new LogharborError("LH_ERR_BATCH", "upload: the client closed the connection before the upload was complete; the complete entries were stored");
      }
      throw e;
    }
    return total;
  };

  const handler = (logOf: (req: import("fastify").FastifyRequest) => LogInfo) => async (req: import("fastify").FastifyRequest, reply: import("fastify").FastifyReply) => {
    try {
      const log = logOf(req);
      const n = await receive(log, req.body, req.headers["content-encoding"]);
      metrics.ingestBatches.inc({ protocol: PROTOCOL, result: "ok" });
      req.log.debug({ log: log.name, entries: n }, "stored a journal upload");
      return reply.status(202).type("text/plain").send("OK.\n");
    } catch (e) {
      metrics.ingestBatches.inc({ protocol: PROTOCOL, result: "error" });
      throw e;
    }
  };

  app.post("/upload", handler((req) => logOfRequest(req, store)));
  app.post<{ Params: { token: string } }>("/t/:token/upload", handler((req) => {
    const log = tokens.resolve((req.params as { token: string }).token);
    if (!log) {
      throw new LogharborError("LH_ERR_TOKEN_UNKNOWN", "upload: the token in the URL (/t/TOKEN/upload) is not the ingest token of any log; `logharbor logs list` shows the tokens", { status: 403 });
    }
    return log;
  }));
}
