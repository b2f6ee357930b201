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
// bytes say they may continue a trace, and when a group is joined.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_BOOT_ID, FIELD_CONTAINER_ID, FIELD_CONTAINER_PARTIAL_MESSAGE, FIELD_CURSOR, FIELD_MESSAGE, FIELD_PID } from "../../../core/journal/fields.js";
import { editEntry } from "../edit.js";
import { FieldLookup } from "../fields.js";
import type { Transform } from "../transform.js";
import { continues, mayMatter, startState, type TraceState } from "./continuation.js";

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
const [CONTAINER, PID, BOOT, MESSAGE, PARTIAL, CURSOR] = [0, 1, 2, 3, 4, 5];

interface Group {
  key: string | number;
  closed: boolean;
  parts: ExportEntry[];
  /** Per part after the first: true when it was appended to the previous piece without "\n" (Docker). */
  glued: boolean[];
  /** The boot of a _PID stream's first line (read only when a line may continue it). */
  boot: string | undefined;
  first: ExportEntry;
  bytes: number;
  state: TraceState;
  /** The last piece was a Docker partial: the next piece belongs here whatever it says. */
  partial: boolean;
  lastMs: number;
  /** The entry seen before this group's first one (its cursor is read only when asked for). */
  resumeAfter: ExportEntry | undefined;
}

export class MultilineTransform implements Transform {
  readonly name: string;
  joinedGroups = 0;
  joinedLines = 0;
  /** Groups closed by timeout, max_lines or max_bytes rather than by the next line. */
  forcedCloses = 0;
  /** The open group of each stream. */
  private readonly groups = new Map<string | number, Group>();
  /** Every group not yet emitted, in the order of their first lines (from `head`). */
  private queue: Group[] = [];
  private head = 0;
  private readonly timeoutMs: number;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly traces: boolean;
  private readonly clock: () => number;
  private readonly f = new FieldLookup([FIELD_CONTAINER_ID, FIELD_PID, FIELD_BOOT_ID, FIELD_MESSAGE, FIELD_CONTAINER_PARTIAL_MESSAGE, FIELD_CURSOR]);
  private prev: ExportEntry | undefined;
  private heldCount = 0;

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
    return this.head < this.queue.length ? this.queue[this.head]!.resumeAfter?.cursor : undefined;
  }

  process(entry: ExportEntry, out: ExportEntry[]): void {
    const f = this.f.scan(entry);
    const resumeAfter = this.prev;
    if (f.has(CURSOR)) this.prev = entry;
    // A container's id, else the process id (a number: no decoding).
    const key = f.has(CONTAINER) ? f.latin1(CONTAINER)! : f.integer(PID);
    if (key === -1) {
      if (this.head === this.queue.length) out.push(entry);
      else this.enqueue({ key: -1, closed: true, first: entry, parts: [entry], glued: [], boot: undefined, bytes: 0, state: "plain", partial: false, lastMs: 0, resumeAfter });
      return;
    }
    const partial = f.equals(PARTIAL, "true");
    const len = Math.max(0, f.length(MESSAGE));
    const matters = partial || (this.traces && mayMatter(entry.raw, f.start[MESSAGE]!, f.end[MESSAGE]!));
    const boot = f.has(CONTAINER) || !matters ? undefined : f.latin1(BOOT);
    const text = matters ? (f.text(MESSAGE) ?? "") : undefined;
    const g = this.groups.get(key);
    if (g !== undefined) {
      let next: TraceState | undefined;
      if (g.partial) next = g.state;
      else if (text !== undefined && this.traces && sameBoot(g, boot)) next = continues(g.state, text);
      else if (g.state !== "plain" && text === undefined && this.traces) next = continues(g.state, f.text(MESSAGE) ?? "");
      if (next !== undefined && g.parts.length < this.maxLines && g.bytes + len <= this.maxBytes) {
        g.glued.push(g.partial);
        g.parts.push(entry);
        g.bytes += len + 1;
        g.state = next;
        g.partial = partial;
        g.lastMs = this.clock();
        this.heldCount++;
        return;
      }
      if (next !== undefined) this.forcedCloses++;
      g.closed = true;
    }
    const ng: Group = {
      key, closed: false, first: entry, parts: [entry], glued: [], boot, bytes: len, state: text === undefined ? "plain" : startState(text), partial, lastMs: this.clock(), resumeAfter,
    };
    this.groups.set(key, ng);
    this.enqueue(ng);
    if (g !== undefined) this.emitReady(out);
  }

  private enqueue(g: Group): void {
    this.queue.push(g);
    this.heldCount += g.parts.length;
  }

  /** Emits the closed groups at the front of the queue. */
  private emitReady(out: ExportEntry[]): void {
    const q = this.queue;
    while (this.head < q.length && q[this.head]!.closed) this.emit(q[this.head++]!, out);
    if (this.head === q.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
  }

  flush(nowMs: number, out: ExportEntry[], force: boolean): void {
    for (const [key, g] of this.groups) {
      if (force || nowMs - g.lastMs >= this.timeoutMs) {
        if (g.parts.length > 1 || g.partial) this.forcedCloses++;
        g.closed = true;
        this.groups.delete(key);
      }
    }
    this.emitReady(out);
  }

  counters(): Record<string, number> {
    return { joined_groups: this.joinedGroups, joined_lines: this.joinedLines, forced_closes: this.forcedCloses, held: this.heldCount };
  }

  private emit(g: Group, out: ExportEntry[]): void {
    if (this.groups.get(g.key) === g) this.groups.delete(g.key);
    this.heldCount -= g.parts.length;
    const first = g.parts[0]!;
    if (g.parts.length === 1 && !g.partial) {
      out.push(first);
      return;
    }
    this.joinedGroups++;
    this.joinedLines += g.parts.length;
    const pieces: Buffer[] = [];
    g.parts.forEach((p, i) => {
      if (i > 0 && !g.glued[i - 1]) pieces.push(NEWLINE);
      pieces.push(p.getBytes(FIELD_MESSAGE) ?? EMPTY);
    });
    const edits = new Map<string, Buffer | string | null>([[FIELD_MESSAGE, Buffer.concat(pieces)]]);
    for (const name of PARTIAL_FIELDS) edits.set(name, null);
    const cursor = g.parts[g.parts.length - 1]!.cursor;
    if (cursor !== undefined) edits.set(FIELD_CURSOR, cursor);
    out.push(editEntry(first, edits));
  }
}

/** A _PID stream continues only within its boot (PIDs are reused across boots). */
function sameBoot(g: Group, boot: string | undefined): boolean {
  if (boot === undefined) return true;
  g.boot ??= g.first.get(FIELD_BOOT_ID);
  return g.boot === undefined || g.boot === boot;
}

const NEWLINE = Buffer.from("\n");
const EMPTY = Buffer.alloc(0);
