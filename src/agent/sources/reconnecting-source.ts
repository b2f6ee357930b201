// What gatewayd and journalctl sources share: resolve the start position, open a byte stream of
// export data, parse it into entries, and when the stream fails or ends while following, reopen it
// right after the last entry delivered (with backoff) so nothing is repeated or skipped.
import type { Readable } from "node:stream";
import { coalescedChunks } from "./coalesced-chunks.js";
import { ExportParser } from "../../core/journal/export-parser.js";
import type { ExportEntry } from "../../core/journal/export-entry.js";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from "../backoff.js";
import type { Logger } from "../logger.js";
import { parseCursor } from "../../core/journal/cursor.js";
import { currentBootId } from "./boot-id.js";
import { LogharborError } from "../../core/errors.js";
import type { SeekPosition, Source, StartPosition } from "./source.js";

export interface SourceOptions {
  start: StartPosition;
  /** Keep reading new entries as they are written (false: end when the journal is exhausted). */
  follow: boolean;
  log: Logger;
  backoff?: BackoffOptions;
  /** Larger entries are an error (see ExportParser). */
  maxEntryBytes?: number;
  /** The running boot's id, 32 hex digits (default: read from /proc). */
  bootId?: string;
  /** The entry to resume after is gone from the journal (vacuumed): reading restarts at the oldest. */
  onGap?: (gap: JournalGap) => void;
}

/** What was skipped when the cursor to resume after had vanished from the journal. */
export interface JournalGap {
  /** The cursor the agent meant to resume after. */
  after: string;
  /** The oldest entry still in the journal, where reading resumes (undefined: the journal is empty). */
  resumedAt: string | undefined;
  /** Entries missing in between, when both cursors share a sequence-number id. */
  missingEntries: number | undefined;
  /** Journal time between the two entries, in seconds. */
  missingSeconds: number | undefined;
}

/** Whether two cursors name the same entry (same seqnum id and seqnum, else the same text). */
export function sameEntry(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseCursor(a);
  const y = parseCursor(b);
  return x.s !== undefined && x.i !== undefined && x.s === y.s && x.i === y.i;
}

export function describeGap(after: string, resumedAt: string | undefined): JournalGap {
  if (resumedAt === undefined) return { after, resumedAt, missingEntries: undefined, missingSeconds: undefined };
  const x = parseCursor(after);
  const y = parseCursor(resumedAt);
  const hex = (v: string | undefined) => (v !== undefined && /^[0-9a-f]+$/.test(v) ? Number.parseInt(v, 16) : undefined);
  const xi = hex(x.i), yi = hex(y.i), xt = hex(x.t), yt = hex(y.t);
  return {
    after,
    resumedAt,
    missingEntries: x.s !== undefined && x.s === y.s && xi !== undefined && yi !== undefined ? Math.max(0, yi - xi - 1) : undefined,
    missingSeconds: xt !== undefined && yt !== undefined ? Math.max(0, (yt - xt) / 1e6) : undefined,
  };
}

/** One open stream of export bytes. */
export interface Connection {
  stream: Readable;
  /** Called after the stream ended: resolves if it ended as a complete response, rejects otherwise. */
  finished(): Promise<void>;
  close(): void;
}

export abstract class ReconnectingSource implements Source {
  abstract readonly description: string;
  protected readonly log: Logger;
  private readonly opts: SourceOptions;
  private lastEntry: ExportEntry | undefined;
  private resumeCursor: string | undefined;
  private readonly abort = new AbortController();
  private conn: Connection | undefined;
  private resolved: SeekPosition | undefined;

  constructor(opts: SourceOptions) {
    this.opts = opts;
    this.log = opts.log;
    if (opts.start.kind === "after") this.resumeCursor = opts.start.cursor;
  }

  /** Opens a stream of export data starting at the position. */
  protected abstract open(pos: SeekPosition, follow: boolean, signal: AbortSignal): Promise<Connection>;
  /** The cursor of the newest entry in the journal, or undefined when it is empty. */
  protected abstract probeLast(signal: AbortSignal): Promise<string | undefined>;
  /** The cursor of the first entry of that boot, or undefined when the journal holds none of it. */
  protected abstract probeBootStart(bootId: string, signal: AbortSignal): Promise<string | undefined>;
  /** The cursor of the entry a seek to this cursor lands on (the entry itself when it still exists). */
  protected abstract probeAt(cursor: string, signal: AbortSignal): Promise<string | undefined>;
  /** The cursor of the oldest entry in the journal, or undefined when it is empty. */
  protected abstract probeFirst(signal: AbortSignal): Promise<string | undefined>;
  /** Whether open() handles "since" itself; otherwise entries older than the time are dropped here. */
  protected abstract readonly seeksByTime: boolean;

  get lastCursor(): string | undefined {
    if (this.lastEntry !== undefined) {
      const c = this.lastEntry.cursor;
      if (c !== undefined) this.resumeCursor = c;
      this.lastEntry = undefined;
    }
    return this.resumeCursor;
  }

  close(): void {
    this.abort.abort();
    this.conn?.close();
  }

  private get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Where to open: after the last entry delivered, else the start position (resolved once). */
  private async seekPosition(): Promise<SeekPosition> {
    const cursor = this.lastCursor;
    if (cursor !== undefined) return this.verifyAfter(cursor);
    this.resolved ??= await this.resolveStart(this.opts.start);
    return this.resolved;
  }

  /**
   * "After the cursor", verified. Both journalctl --after-cursor and gatewayd's Range CURSOR:1:
   * silently skip the oldest remaining entry when the cursor's own entry was vacuumed (they seek to
   * the nearest entry, then step over it as if it were the cursor's): when the entry is gone, read
   * from the oldest entry still there instead, and report the gap.
   */
  private async verifyAfter(cursor: string): Promise<SeekPosition> {
    const at = await this.probeAt(cursor, this.abort.signal);
    if (at !== undefined && sameEntry(at, cursor)) return { kind: "after", cursor };
    const first = await this.probeFirst(this.abort.signal);
    const gap = describeGap(cursor, first);
    this.log.warn(
      { source: this.description, saved_cursor: cursor, resumed_at_cursor: first ?? null, missing_entries: gap.missingEntries ?? null, missing_seconds: gap.missingSeconds ?? null },
      "the entry to resume after is no longer in the journal (vacuumed or rotated away): resuming with the oldest entry still there; entries in between are lost",
    );
    this.opts.onGap?.(gap);
    return first === undefined ? { kind: "head" } : { kind: "at", cursor: first };
  }

  /** The cursor of the newest entry in the journal (for progress and lag), undefined when unknown. */
  async head(): Promise<string | undefined> {
    try {
      return await this.probeLast(this.abort.signal);
    } catch {
      return undefined;
    }
  }

  private async resolveStart(start: StartPosition): Promise<SeekPosition> {
    switch (start.kind) {
      case "oldest":
        return { kind: "head" };
      case "time":
        return { kind: "since", us: start.us };
      case "after":
        return { kind: "after", cursor: start.cursor };
      case "now": {
        const last = await this.probeLast(this.abort.signal);
        this.log.info({ source: this.description, cursor: last ?? null }, "starting after the newest entry");
        return last === undefined ? { kind: "head" } : { kind: "after", cursor: last };
      }
      case "boot": {
        const boot = this.opts.bootId ?? (await currentBootId());
        const first = boot === undefined ? undefined : await this.probeBootStart(boot, this.abort.signal);
        this.log.info(
          { source: this.description, boot_id: boot ?? null },
          first === undefined
            ? "the journal holds no entry of the running boot; starting with the oldest entry"
            : "starting with the first entry of the running boot",
        );
        return first === undefined ? { kind: "head" } : { kind: "at", cursor: first };
      }
    }
  }

  async *read(): AsyncGenerator<ExportEntry[], void, undefined> {
    let failures = 0;
    while (!this.closed) {
      let delivered = false;
      try {
        const pos = await this.seekPosition();
        // close() while the start was being resolved (the probes do not watch it): do not open.
        if (this.closed) return;
        let sinceUs = pos.kind === "since" && !this.seeksByTime ? pos.us : -1;
        const openPos: SeekPosition = sinceUs >= 0 ? { kind: "head" } : pos;
        this.log.debug({ source: this.description, position: openPos, follow: this.opts.follow }, "opening the journal");
        const conn = await this.open(openPos, this.opts.follow, this.abort.signal);
        if (this.closed) {
          // close() came while opening: it could not close this connection, which would follow for ever.
          conn.close();
          return;
        }
        this.conn = conn;
        const parser = new ExportParser(this.opts.maxEntryBytes === undefined ? {} : { maxEntryBytes: this.opts.maxEntryBytes });
        // gatewayd answers "Range: entries=CURSOR:1:" with the cursor's own entry when it is the
        // newest one (it cannot skip past the end): drop a first entry that is the one we resume after.
        let repeated = openPos.kind === "after" ? openPos.cursor : undefined;
        try {
          for await (const chunk of coalescedChunks(conn.stream)) {
            let entries = parser.push(chunk);
            if (entries.length === 0) continue;
            if (repeated !== undefined) {
              if (entries[0]!.cursor === repeated) entries = entries.slice(1);
              repeated = undefined;
              if (entries.length === 0) continue;
            }
            if (sinceUs >= 0) {
              const first = entries.findIndex((e) => (e.realtimeUs ?? Number.MAX_SAFE_INTEGER) >= sinceUs);
              if (first < 0) continue;
              entries = first === 0 ? entries : entries.slice(first);
              sinceUs = -1;
            }
            this.lastEntry = entries[entries.length - 1];
            if (!delivered) {
              delivered = true;
              failures = 0;
            }
            yield entries;
            if (this.closed) return;
          }
          await conn.finished();
          parser.end(); // an entry cut off at the very end is an error; the next open starts after the last whole one
        } finally {
          conn.close();
          this.conn = undefined;
        }
        if (this.closed) return;
        if (!this.opts.follow) return;
        this.log.warn({ source: this.description }, "the journal stream ended while following; reopening after the last entry delivered");
      } catch (e) {
        if (this.closed) return;
        // Not following (--exit-when-idle): a journal that cannot be reached at all is a mistake to report, not to wait out.
        if (!this.opts.follow && !delivered && failures + 1 >= GIVE_UP_UNFOLLOWED) {
          throw new LogharborError(
            "LH_ERR_SOURCE",
            `${this.description}: cannot read the journal after ${GIVE_UP_UNFOLLOWED} attempts (${errorSummary(e)}); is the journal service there and running (for gatewayd: systemctl start systemd-journal-gatewayd.socket), and the path or URL right?`,
          );
        }
        this.log.warn({ source: this.description, err: errorSummary(e), resume_after: this.lastCursor ?? null }, "journal source failed; reopening after the last entry delivered");
      }
      const delay = backoffDelay(failures++, this.opts.backoff ?? { ...DEFAULT_BACKOFF, maxMs: 10_000 });
      if (!(await sleep(delay, this.abort.signal))) return;
    }
  }
}

/** Without following, attempts in a row that read nothing before the source gives up with an error. */
export const GIVE_UP_UNFOLLOWED = 3;

export function errorSummary(e: unknown): string {
  if (e instanceof Error) return (e as NodeJS.ErrnoException).code ? `${(e as NodeJS.ErrnoException).code}: ${e.message}` : e.message;
  return String(e);
}
