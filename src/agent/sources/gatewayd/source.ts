// Reads the journal from systemd-journal-gatewayd (GET /entries, export format, ?follow).
// Resumes with "Range: entries=CURSOR:1:" (the entry after the cursor); reconnects with backoff.
// Pushed-down filters (matches.ts) are passed as query arguments (one group: gatewayd has no OR
// across fields, so several groups are widened to the fields they share).
import type http from "node:http";
import { parseExport } from "../../../core/journal/export-parser.js";
import { gatewaydMatchQuery, singleGroup, type JournalMatches } from "../matches.js";
import { ReconnectingSource, type Connection, type SourceOptions } from "../reconnecting-source.js";
import { resumePosition } from "../resume-with-matches.js";
import type { SeekPosition } from "../source.js";
import { describeAddress, getEntries, rangeFor, type GatewaydAddress } from "./request.js";

export class GatewaydSource extends ReconnectingSource {
  readonly description: string;
  protected readonly seeksByTime = false;
  private readonly addr: GatewaydAddress;
  /** The one match group gatewayd applies (filters pushed down), if any. */
  private readonly matches: JournalMatches | undefined;

  constructor(addr: GatewaydAddress, opts: SourceOptions & { matches?: JournalMatches }) {
    super(opts);
    this.addr = addr;
    const g = opts.matches === undefined ? undefined : singleGroup(opts.matches);
    this.matches = g === undefined ? undefined : [g];
    this.description = describeAddress(addr);
  }

  protected async open(pos: SeekPosition, follow: boolean, signal: AbortSignal): Promise<Connection> {
    let query = follow ? "follow" : "";
    if (this.matches !== undefined) {
      pos = await resumePosition(pos, this.matches, async (cursor) => (await this.fetchAll({ range: `entries=${cursor}:0:1`, signal }))[0]);
      query += `${query ? "&" : ""}${gatewaydMatchQuery(this.matches[0]!)}`;
    }
    const range = rangeFor(pos);
    const res = await getEntries(this.addr, { ...(query ? { query } : {}), ...(range ? { range } : {}), signal });
    return {
      stream: res,
      finished: () =>
        res.complete ? Promise.resolve() : Promise.reject(new Error(`${this.description}: the response ended before it was complete`)),
      close: () => res.destroy(),
    };
  }

  protected async probeLast(signal: AbortSignal): Promise<string | undefined> {
    // From the tail, skip back one: gatewayd then sends the last two entries (or the only one).
    const entries = await this.fetchAll({ range: "entries=:-1:", signal });
    return entries.length === 0 ? undefined : entries[entries.length - 1]!.cursor;
  }

  protected async probeAt(cursor: string, signal: AbortSignal): Promise<string | undefined> {
    const entries = await this.fetchAll({ range: `entries=${cursor}:0:1`, signal });
    return entries[0]?.cursor;
  }

  protected async probeFirst(signal: AbortSignal): Promise<string | undefined> {
    const entries = await this.fetchAll({ range: "entries=:0:1", signal });
    return entries[0]?.cursor;
  }

  protected async probeBootStart(bootId: string, signal: AbortSignal): Promise<string | undefined> {
    const entries = await this.fetchAll({ query: `_BOOT_ID=${bootId}`, range: "entries=:0:1", signal });
    return entries[0]?.cursor;
  }

  private async fetchAll(opts: { query?: string; range: string; signal: AbortSignal }) {
    const res: http.IncomingMessage = await getEntries(this.addr, opts);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return parseExport(Buffer.concat(chunks));
  }
}
