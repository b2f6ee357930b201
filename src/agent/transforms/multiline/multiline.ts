// multiline: joins the lines of one event that reached the journal as several entries, per stream
// (CONTAINER_ID, else _PID within a boot): Docker's partial messages (CONTAINER_PARTIAL_MESSAGE=true
// on every piece but the last, concatenated as they are) and stack-trace continuation lines
// (continuation.ts, joined with "\n"). The last entry of each stream is held until the next entry
// of that stream shows whether it continues; a group is closed by timeout_ms without a new line,
// max_lines or max_bytes. Entries leave in the order they were read (a joined group at the place of
// its first line): an open group holds back what was read after it, so the batches downstream keep
// the entries' bytes adjacent and the checkpoint can resume right before the oldest held entry. A joined entry keeps the first entry's fields, with the joined MESSAGE,
// the last piece's __CURSOR (so a checkpoint after it covers every piece) and no partial markers.
// Hot path: one field scan per entry (fields.ts); MESSAGE is decoded only for lines whose first
// bytes say they may continue a trace, and when a group is joined. Holding a line allocates
// nothing: a stream's state object lives as long as its open group and is reused for the next
// one, the held entries sit in a reused ring (held-queue.ts), and only a group that gets a second
// piece is given the arrays that join it.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import {
  FIELD_BOOT_ID, FIELD_CONTAINER_ID, FIELD_CONTAINER_PARTIAL_MESSAGE, FIELD_CURSOR, FIELD_MESSAGE, FIELD_PID, FIELD_REALTIME_TIMESTAMP,
} from "../../../core/journal/fields.js";
import { editEntry } from "../edit.js";
import { FieldLookup } from "../fields.js";
import type { Transform } from "../transform.js";
import { continues, mayMatter, startState, type TraceState } from "./continuation.js";
import { HeldQueue, type Join } from "./held-queue.js";

export interface MultilineSpec {
  /** A group with no new line for this long is closed (default 1000). */
  timeout_ms?: number;
  /** Most lines in one group (default 500). */
  max_lines?: number;
  /** Most bytes in one joined MESSAGE (default 1 MiB). */
  max_bytes?: number;
  /** Join stack traces (default true); Docker partial messages are always reassembled. */
  stack_traces?: boolean;
}

const PARTIAL_FIELDS = [FIELD_CONTAINER_PARTIAL_MESSAGE, "CONTAINER_PARTIAL_ID", "CONTAINER_PARTIAL_ORDINAL", "CONTAINER_PARTIAL_LAST"];
const [CONTAINER, PID, MESSAGE, PARTIAL, REALTIME] = [0, 1, 2, 3, 4];
/** While this many entries are held, every this many entries the groups idle in journal time are closed. */
const SWEEP_EVERY = 1024;
/** Journal exports start every entry with its cursor. */
const CURSOR_FIRST = Buffer.from(`${FIELD_CURSOR}=`, "latin1");

/** A stream (one container or process) with its open group: kept while the group is open, reused for the next. */
class Stream {
  /** The queue position of the open group. */
  slot = 0;
  first!: ExportEntry;
  /** The group's pieces once it has more than one (or a Docker partial); undefined for a single line. */
  join: Join | undefined = undefined;
  lines = 1;
  bytes = 0;
  state: TraceState = "plain";
  /** The last piece was a Docker partial: the next piece belongs here whatever it says. */
  partial = false;
  lastMs = 0;
  /** The journal time (__REALTIME_TIMESTAMP, µs) of the group's last line; -1 when unknown. */
  lastUs = -1;
  /** The boot of a _PID stream's first line (read only when a line may continue it). */
  boot: string | undefined = undefined;
}

export class MultilineTransform implements Transform {
  readonly name: string;
  joinedGroups = 0;
  joinedLines = 0;
  /** Groups closed by timeout, max_lines or max_bytes rather than by the next line. */
  forcedCloses = 0;
  /** The streams with an open group. */
  private readonly streams = new Map<string | number, Stream>();
  /** Every group not yet emitted, in the order of their first lines. */
  private readonly queue = new HeldQueue();
  private readonly timeoutMs: number;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly traces: boolean;
  private readonly clock: () => number;
  // The boot id is read (rarely) from the entry itself, only for lines that may continue a trace.
  private readonly f = new FieldLookup([FIELD_CONTAINER_ID, FIELD_PID, FIELD_MESSAGE, FIELD_CONTAINER_PARTIAL_MESSAGE, FIELD_REALTIME_TIMESTAMP]);
  private prev: ExportEntry | undefined;
  private heldCount = 0;
  /** The newest journal time read (µs), for closing groups by journal time when reading a backlog. */
  private newestUs = -1;
  private sinceSweep = 0;

  constructor(spec: MultilineSpec = {}, name = "multiline", clock: () => number = Date.now) {
    this.name = name;
    this.timeoutMs = spec.timeout_ms ?? 1000;
    this.maxLines = spec.max_lines ?? 500;
    this.maxBytes = spec.max_bytes ?? 1024 * 1024;
    this.traces = spec.stack_traces ?? true;
    this.clock = clock;
  }

  get held(): number {
    return this.heldCount;
  }

  resumeCursor(): string | undefined {
    return this.queue.length > 0 ? this.queue.headResume()?.cursor : undefined;
  }

  process(entry: ExportEntry, out: ExportEntry[]): void {
    this.add(entry, out);
    // Reading a backlog, the wall-clock timeout would hold everything read in timeout_ms (tens of
    // thousands of entries): groups are also closed once the journal's own time has moved on by
    // timeout_ms, which bounds what is held by the journal's rate rather than the reading speed.
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      if (this.queue.length >= SWEEP_EVERY) this.sweepByJournalTime(out);
    }
  }

  private sweepByJournalTime(out: ExportEntry[]): void {
    if (this.newestUs < 0) return;
    const limit = this.newestUs - this.timeoutMs * 1000;
    this.closeStreams((s) => s.lastUs >= 0 && s.lastUs <= limit, out);
  }

  /** Closes the open groups of the streams chosen (counted as forced when not single lines), then emits what is ready. */
  private closeStreams(chosen: (s: Stream) => boolean, out: ExportEntry[]): void {
    for (const [key, s] of this.streams) {
      if (!chosen(s)) continue;
      if (s.lines > 1 || s.partial) this.forcedCloses++;
      this.queue.close(s.slot);
      this.streams.delete(key);
    }
    this.emitReady(out);
  }

  private add(entry: ExportEntry, out: ExportEntry[]): void {
    const f = this.f.scan(entry);
    const us = f.integer(REALTIME, 16);
    if (us > this.newestUs) this.newestUs = us;
    const resumeAfter = this.prev;
    if (hasCursor(entry)) this.prev = entry;
    const q = this.queue;
    // A container's id, else the process id (a number: no decoding).
    const key = f.has(CONTAINER) ? f.latin1(CONTAINER)! : f.integer(PID);
    if (key === -1) {
      if (q.length === 0) out.push(entry);
      else {
        q.push(entry, resumeAfter, true, undefined);
        this.heldCount++;
      }
      return;
    }
    const partial = f.equals(PARTIAL, "true");
    const len = Math.max(0, f.length(MESSAGE));
    const matters = partial || (this.traces && mayMatter(entry.raw, f.start[MESSAGE]!, f.end[MESSAGE]!));
    const boot = f.has(CONTAINER) || !matters ? undefined : entry.getBytes(FIELD_BOOT_ID)?.toString("latin1");
    const text = matters ? (f.text(MESSAGE) ?? "") : undefined;
    let s = this.streams.get(key);
    if (s !== undefined) {
      let next: TraceState | undefined;
      // A line later than timeout_ms in journal time does not continue the group (as the timeout would have closed it).
      const late = us >= 0 && s.lastUs >= 0 && us - s.lastUs >= this.timeoutMs * 1000;
      if (late) next = undefined;
      else if (s.partial) next = s.state;
      else if (text !== undefined && this.traces && sameBoot(s, boot)) next = continues(s.state, text);
      else if (s.state !== "plain" && text === undefined && this.traces) next = continues(s.state, f.text(MESSAGE) ?? "");
      if (next !== undefined && s.lines < this.maxLines && s.bytes + len <= this.maxBytes) {
        let j = s.join;
        if (j === undefined) {
          j = s.join = { parts: [s.first], glued: [], partial: false };
          q.setJoin(s.slot, j);
        }
        j.glued.push(s.partial);
        j.parts.push(entry);
        j.partial = partial;
        s.lines++;
        s.bytes += len + 1;
        s.state = next;
        s.partial = partial;
        s.lastMs = this.clock();
        s.lastUs = us;
        this.heldCount++;
        return;
      }
      if (next !== undefined) this.forcedCloses++;
      q.close(s.slot);
    } else {
      s = new Stream();
      this.streams.set(key, s);
    }
    const join = partial ? { parts: [entry], glued: [], partial: true } : undefined;
    s.slot = q.push(entry, resumeAfter, false, join);
    s.first = entry;
    s.join = join;
    s.lines = 1;
    s.bytes = len;
    s.state = text === undefined ? "plain" : startState(text);
    s.partial = partial;
    s.lastMs = this.clock();
    s.lastUs = us;
    s.boot = boot;
    this.heldCount++;
    if (q.headClosed) this.emitReady(out);
  }

  /** Emits the closed groups at the front of the queue. */
  private emitReady(out: ExportEntry[]): void {
    const q = this.queue;
    while (q.headClosed) {
      this.emit(q.headFirst(), q.headJoin(), out);
      q.shift();
    }
  }

  flush(nowMs: number, out: ExportEntry[], force: boolean): void {
    this.closeStreams((s) => force || nowMs - s.lastMs >= this.timeoutMs, out);
  }

  counters(): Record<string, number> {
    return { joined_groups: this.joinedGroups, joined_lines: this.joinedLines, forced_closes: this.forcedCloses, held: this.heldCount };
  }

  private emit(first: ExportEntry, j: Join | undefined, out: ExportEntry[]): void {
    if (j === undefined || (j.parts.length === 1 && !j.partial)) {
      this.heldCount -= j === undefined ? 1 : j.parts.length;
      out.push(first);
      return;
    }
    const parts = j.parts;
    this.heldCount -= parts.length;
    this.joinedGroups++;
    this.joinedLines += parts.length;
    const pieces: Buffer[] = [];
    parts.forEach((p, i) => {
      if (i > 0 && !j.glued[i - 1]) pieces.push(NEWLINE);
      pieces.push(p.getBytes(FIELD_MESSAGE) ?? EMPTY);
    });
    const edits = new Map<string, Buffer | string | null>([[FIELD_MESSAGE, Buffer.concat(pieces)]]);
    for (const name of PARTIAL_FIELDS) edits.set(name, null);
    const cursor = parts[parts.length - 1]!.cursor;
    if (cursor !== undefined) edits.set(FIELD_CURSOR, cursor);
    out.push(editEntry(first, edits));
  }
}

/** Whether the entry has a __CURSOR: one look at its first bytes, where journal exports put it. */
function hasCursor(e: ExportEntry): boolean {
  const ix = e.index;
  if (ix.length > 0 && ix[0] === 0 && ix[1] === CURSOR_FIRST.length - 1) {
    const raw = e.raw;
    let j = 0;
    while (j < CURSOR_FIRST.length && raw[j] === CURSOR_FIRST[j]) j++;
    if (j === CURSOR_FIRST.length) return true;
  }
  return e.has(FIELD_CURSOR);
}

/** A _PID stream continues only within its boot (PIDs are reused across boots). */
function sameBoot(s: Stream, boot: string | undefined): boolean {
  if (boot === undefined) return true;
  s.boot ??= s.first.get(FIELD_BOOT_ID);
  return s.boot === undefined || s.boot === boot;
}

const NEWLINE = Buffer.from("\n");
const EMPTY = Buffer.alloc(0);
