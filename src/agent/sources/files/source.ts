// Reads the journal from its files directly (no journalctl, no gatewayd): the files of the
// directories (journal-dirs.ts) merged in journalctl's order (merge.ts), each entry in the export
// form journalctl writes (export-builder.ts), with journalctl's cursors — so a checkpoint saved by
// the journalctl source resumes here, and the other way round. Follows new entries (watch.ts),
// files added by rotation, files archived (renamed) or vacuumed (deleted: read to their end through
// the open descriptor). A corrupt file is reported by name and byte offset; the rest still ships.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { DEFAULT_MAX_ENTRY_BYTES } from "../../../core/journal/export-parser.js";
import { currentBootId } from "../boot-id.js";
import { entryMatches, type JournalMatches } from "../matches.js";
import { describeGap, errorSummary, type SourceOptions } from "../reconnecting-source.js";
import type { Source } from "../source.js";
import { findJournalFiles, watchedDirs } from "./journal-dirs.js";
import { JournalFile } from "./journal-file.js";
import { JournalFileError } from "./journal-file-error.js";
import { compareEntries, cursorOf, isAt, locationOf, locationOfCursor, type Location } from "./location.js";
import { JournalSet, type Member } from "./merge.js";
import { ChangeSignal } from "./watch.js";

const BATCH_ENTRIES = 500;
const BATCH_BYTES = 256 * 1024;
/** How often headers are looked at while following (inotify usually wakes the reader sooner). */
const POLL_MS = 250;
/** Directories are listed again at least this often (new files; inotify tells sooner). */
const RESCAN_MS = 2000;
/** An entry a file being written still shows incomplete after this long is reported and skipped. */
const STALL_MS = 10_000;

export interface FilesSourceOptions extends SourceOptions {
  /** The directories holding the journal (journal-dirs.ts). */
  dirs: readonly string[];
  matches?: JournalMatches;
  /** Told every unreadable file or entry (also logged). */
  onCorrupt?: (e: JournalFileError) => void;
}

export class FilesSource implements Source {
  readonly description: string;
  private readonly opts: FilesSourceOptions;
  private readonly set: JournalSet;
  private readonly byKey = new Map<string, Member>();
  /** Files that could not be opened, by key: the size then (tried again when it changed). */
  private readonly unopenable = new Map<string, number>();
  private readonly signal = new ChangeSignal();
  private readonly matches: JournalMatches | undefined;
  private cursor: string | undefined;
  private closed = false;
  private lastScan = 0;
  private stall: { member: Member; pos: number; since: number } | undefined;

  constructor(opts: FilesSourceOptions) {
    this.opts = opts;
    this.matches = opts.matches?.length ? opts.matches : undefined;
    this.description = `files:${opts.dirs.join(",")}`;
    this.set = new JournalSet((e, f) => this.report(e, f));
    if (opts.start.kind === "after") this.cursor = opts.start.cursor;
  }

  get lastCursor(): string | undefined {
    return this.cursor;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal.notify();
  }

  private report(e: JournalFileError, f?: JournalFile): void {
    this.opts.log.warn({ source: this.description, file: f?.path ?? e.file, offset: e.offset, err: e.message }, "a journal file cannot be read from here on; the other files are still read");
    this.opts.onCorrupt?.(e);
  }

  /** Opens files that appeared, forgets those read to their end and gone. Never throws. */
  private scan(): void {
    this.lastScan = Date.now();
    const found = findJournalFiles(this.opts.dirs);
    const present = new Set<string>();
    for (const f of found) {
      present.add(f.key);
      const m = this.byKey.get(f.key);
      if (m !== undefined) {
        m.file.path = f.path; // archived: renamed, same file
        m.gone = false;
        continue;
      }
      if (this.unopenable.get(f.key) === f.size) continue;
      try {
        const file = JournalFile.open(f.path, this.opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES);
        this.byKey.set(f.key, this.set.add(file));
        this.unopenable.delete(f.key);
      } catch (e) {
        this.unopenable.set(f.key, f.size);
        if (e instanceof JournalFileError) this.report(e);
        else this.opts.log.warn({ source: this.description, file: f.path, err: errorSummary(e) }, "a journal file cannot be opened; the other files are still read");
      }
    }
    for (const [key, m] of this.byKey) if (!present.has(key)) m.gone = true;
    this.signal.watchDirs(watchedDirs(this.opts.dirs));
  }

  /**
   * Looks at every file again: headers twice over (entries counted in the first pass are complete
   * in every file by the second: journald links one entry at a time), then the directories.
   */
  private refresh(rescan: boolean): void {
    const members = [...this.set.members];
    const first = new Map<Member, number>();
    for (const pass of [1, 2]) {
      for (const m of members) {
        if (m.failed) continue;
        try {
          if (m.file.writable) m.file.refresh(); // an archived file no longer changes
        } catch (e) {
          if (e instanceof JournalFileError) this.set.skipFailed(m, e);
          else this.set.skipFailed(m, new JournalFileError(m.file.path, 0, `cannot be read: ${errorSummary(e)}`));
        }
        if (pass === 1) first.set(m, m.file.nEntries);
      }
    }
    for (const m of members) m.file.safeEntries = first.get(m) ?? m.file.nEntries;
    if (rescan || Date.now() - this.lastScan >= RESCAN_MS) this.scan();
    for (const [key, m] of this.byKey) {
      if (m.gone && this.set.exhausted(m)) {
        this.set.remove(m);
        this.byKey.delete(key);
      }
    }
  }

  /** The newest entry of the journal (by journal order), with its file's seqnum id. */
  private newest(): { seqnumId: string; loc: Location; cursor: string } | undefined {
    let best: { seqnumId: string; head: NonNullable<ReturnType<JournalFile["entry"]>>["head"] } | undefined;
    for (const m of this.set.members) {
      if (m.failed || m.file.nEntries === 0) continue;
      try {
        const e = m.file.entry(m.file.nEntries - 1);
        if (e === undefined) continue;
        if (best === undefined || compareEntries(m.file.seqnumId, e.head, best.seqnumId, best.head) > 0) best = { seqnumId: m.file.seqnumId, head: e.head };
      } catch {
        // a file that cannot tell its last entry does not decide where "now" is
      }
    }
    return best === undefined ? undefined : { seqnumId: best.seqnumId, loc: locationOf(best.seqnumId, best.head), cursor: cursorOf(best.seqnumId, best.head) };
  }

  /** The first entry of the boot in journal order (entry objects hold the boot id: no data read). */
  private bootStart(bootId: string): Location | undefined {
    let best: { seqnumId: string; head: NonNullable<ReturnType<JournalFile["entry"]>>["head"] } | undefined;
    for (const m of this.set.members) {
      if (m.failed) continue;
      try {
        for (let i = 0; i < m.file.nEntries; i++) {
          const e = m.file.entry(i);
          if (e === undefined) break;
          if (e.head.bootId !== bootId) continue;
          if (best === undefined || compareEntries(m.file.seqnumId, e.head, best.seqnumId, best.head) < 0) best = { seqnumId: m.file.seqnumId, head: e.head };
          break;
        }
      } catch (e) {
        if (e instanceof JournalFileError) this.set.skipFailed(m, e);
        else throw e;
      }
    }
    return best === undefined ? undefined : locationOf(best.seqnumId, best.head);
  }

  /** Whether the journal holds exactly the entry the location names. */
  private holds(loc: Location): boolean {
    for (const m of this.set.members) {
      if (m.failed || m.file.seqnumId !== loc.seqnumId || loc.seqnum === undefined) continue;
      try {
        const i = m.file.bisect(0, (h) => h.seqnum >= loc.seqnum!);
        const e = i < m.file.nEntries ? m.file.entry(i) : undefined;
        if (e !== undefined && isAt(m.file.seqnumId, e.head, loc)) return true;
      } catch {
        // unreadable there: not held
      }
    }
    return false;
  }

  /** The cursor of the first entry reading would give now (without taking it). */
  private peekCursor(): string | undefined {
    const r = this.set.next();
    if (r === "none" || r === "hold" || "wait" in r) return undefined;
    return cursorOf(r.member.file.seqnumId, r.ref.head);
  }

  private async start(): Promise<void> {
    const start = this.opts.start;
    switch (start.kind) {
      case "oldest":
        this.set.seek(undefined, false);
        break;
      case "time":
        this.set.seek({ realtime: start.us }, true);
        break;
      case "now": {
        const last = this.newest();
        this.opts.log.info({ source: this.description, cursor: last?.cursor ?? null }, "starting after the newest entry");
        this.set.seek(last?.loc, false);
        break;
      }
      case "boot": {
        const boot = this.opts.bootId ?? (await currentBootId());
        const at = boot === undefined ? undefined : this.bootStart(boot);
        this.opts.log.info(
          { source: this.description, boot_id: boot ?? null },
          at === undefined ? "the journal holds no entry of the running boot; starting with the oldest entry" : "starting with the first entry of the running boot",
        );
        this.set.seek(at, true);
        break;
      }
      case "after": {
        const loc = locationOfCursor(start.cursor);
        if (loc !== undefined && this.holds(loc)) {
          this.set.seek(loc, false);
          break;
        }
        // As the other sources do: the entry is gone (vacuumed), so resume with the oldest one still
        // there, and report the gap.
        this.set.seek(undefined, false);
        const first = this.peekCursor();
        const gap = describeGap(start.cursor, first);
        this.opts.log.warn(
          { source: this.description, saved_cursor: start.cursor, resumed_at_cursor: first ?? null, missing_entries: gap.missingEntries ?? null, missing_seconds: gap.missingSeconds ?? null },
          "the entry to resume after is no longer in the journal (vacuumed or rotated away): resuming with the oldest entry still there; entries in between are lost",
        );
        this.opts.onGap?.(gap);
        break;
      }
    }
  }

  /** The newest entry's cursor (progress and lag). */
  async head(): Promise<string | undefined> {
    return this.newest()?.cursor;
  }

  async *read(): AsyncGenerator<ExportEntry[], void, undefined> {
    if (this.closed) return;
    this.scan();
    this.refresh(false);
    try {
      await this.start();
      this.opts.log.debug({ source: this.description, position: this.opts.start, follow: this.opts.follow, files: this.set.members.length }, "opening the journal");
      for (;;) {
        if (this.closed) return;
        const { batch, blocked } = await this.fill();
        if (this.closed) return;
        if (batch.length > 0) {
          this.cursor = batch[batch.length - 1]!.cursor;
          yield batch;
          continue;
        }
        if (blocked === "hold") {
          this.refresh(false);
          continue;
        }
        if (!this.opts.follow && blocked === "none") return;
        const { renamed } = await this.signal.wait(POLL_MS);
        if (this.closed) return;
        this.refresh(renamed);
      }
    } finally {
      this.signal.unwatch();
      for (const m of [...this.set.members]) this.set.remove(m);
      this.byKey.clear();
    }
  }

  /** Reads entries up to a batch's worth; says why it stopped when the batch is short. */
  private async fill(): Promise<{ batch: ExportEntry[]; blocked: "none" | "hold" | "wait" | "full" }> {
    const batch: ExportEntry[] = [];
    let bytes = 0;
    while (batch.length < BATCH_ENTRIES && bytes < BATCH_BYTES) {
      if (this.closed) return { batch, blocked: "none" };
      const r = this.set.next();
      if (r === "none" || r === "hold") return { batch, blocked: r };
      if ("wait" in r) {
        if (this.stalled(r.wait)) continue;
        return { batch, blocked: this.opts.follow ? "wait" : "none" };
      }
      let e: ExportEntry;
      try {
        const built = r.member.file.build(r.ref);
        e = built instanceof Promise ? await built : built;
      } catch (err) {
        if (!(err instanceof JournalFileError)) throw err;
        if (r.member.file.writable && !this.stalled(r.member)) return { batch, blocked: this.opts.follow ? "wait" : "none" };
        this.report(err, r.member.file);
        this.set.take(r.member, r.ref);
        continue;
      }
      this.stall = undefined;
      this.set.take(r.member, r.ref);
      if (this.matches !== undefined && !entryMatches(this.matches, e)) continue;
      batch.push(e);
      bytes += e.raw.length;
    }
    return { batch, blocked: "full" };
  }

  /**
   * A file being written shows an incomplete entry: true once that has lasted STALL_MS, when the
   * entry is reported and stepped over (a writer that died mid-entry); false while it is young.
   */
  private stalled(m: Member): boolean {
    const now = Date.now();
    if (this.stall === undefined || this.stall.member !== m || this.stall.pos !== m.pos) {
      this.stall = { member: m, pos: m.pos, since: now };
      return false;
    }
    if (now - this.stall.since < STALL_MS) return false;
    this.report(new JournalFileError(m.file.path, m.file.header.entryArrayOffset, `entry ${m.pos} stayed incomplete for ${STALL_MS / 1000} s; stepped over`), m.file);
    this.set.skipEntry(m);
    this.stall = undefined;
    return true;
  }
}
