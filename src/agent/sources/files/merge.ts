// Many journal files read as one journal, in the order journalctl gives (sd-journal.c,
// real_journal_next in systemd 252): every file keeps its own position; the next entry is the first,
// by compareEntries, of the files' current entries that lie beyond the last entry delivered (so an
// entry present in two files is delivered once, and a file added later — a rotation — joins in
// without repeating what was delivered). A file that shows an entry not yet completely written
// holds the merge back ("wait") rather than letting a later entry of another file overtake it.
import { JournalFile, type EntryRef } from "./journal-file.js";
import { JournalFileError } from "./journal-file-error.js";
import { compareEntries, compareWithLocation, locationOf, type Location } from "./location.js";

export interface Member {
  file: JournalFile;
  /** Index of the file's next entry. */
  pos: number;
  /** The entry at pos, once read and known to lie beyond the location. */
  ref: EntryRef | undefined;
  /** No longer in the directory (archived away or vacuumed): closed once read to its end. */
  gone: boolean;
  /** Read no further (corrupt from here on). */
  failed: boolean;
}

/**
 * The next entry; "none" at the end; "hold" when it was counted after another file's header was
 * read (refresh again first); wait: a file shows an entry not completely written.
 */
export type NextResult = { member: Member; ref: EntryRef } | "none" | "hold" | { wait: Member };

export class JournalSet {
  readonly members: Member[] = [];
  /** The last entry delivered, or where reading starts. */
  location: Location | undefined;
  /** Whether an entry equal to the location is still to be delivered (a start "at", not "after"). */
  inclusive = false;

  constructor(private readonly onCorrupt: (e: JournalFileError, file: JournalFile) => void) {}

  /** Adds a file, positioned at the first entry beyond the location. */
  add(file: JournalFile): Member {
    const m: Member = { file, pos: 0, ref: undefined, gone: false, failed: false };
    this.members.push(m);
    this.position(m);
    return m;
  }

  /** Positions every file at the location (a seek). */
  seek(location: Location | undefined, inclusive: boolean): void {
    this.location = location;
    this.inclusive = inclusive;
    for (const m of this.members) {
      m.pos = 0;
      m.ref = undefined;
      this.position(m);
    }
  }

  private beyond(m: Member, ref: EntryRef): boolean {
    if (this.location === undefined) return true;
    const c = compareWithLocation(m.file.seqnumId, ref.head, this.location);
    return c > 0 || (this.inclusive && c === 0);
  }

  private position(m: Member): void {
    if (this.location === undefined) return;
    try {
      m.pos = m.file.bisect(0, (h) => {
        const c = compareWithLocation(m.file.seqnumId, h, this.location!);
        return c > 0 || (this.inclusive && c === 0);
      });
    } catch (e) {
      this.fail(m, e);
    }
  }

  private fail(m: Member, e: unknown): void {
    if (!(e instanceof JournalFileError)) throw e;
    m.failed = true;
    m.ref = undefined;
    this.onCorrupt(e, m.file);
  }

  /** The member's current entry beyond the location; undefined at its end; "wait" for an incomplete one. */
  private current(m: Member): EntryRef | undefined | "wait" {
    if (m.ref !== undefined) {
      // Read before another file's entry was delivered: still beyond it? (An entry in two files.)
      if (this.beyond(m, m.ref)) return m.ref;
      m.ref = undefined;
      m.pos++;
    }
    while (m.pos < m.file.nEntries) {
      let ref: EntryRef | undefined;
      try {
        ref = m.file.entry(m.pos);
      } catch (e) {
        if (m.file.writable && m.pos >= m.file.nEntries - 1) return "wait";
        this.fail(m, e);
        return undefined;
      }
      if (ref === undefined) return "wait";
      if (this.beyond(m, ref)) {
        m.ref = ref;
        return ref;
      }
      m.pos++;
    }
    return undefined;
  }

  /** The next entry in journal order (not yet taken: call take() after using it). */
  next(): NextResult {
    let best: Member | undefined;
    let bestRef: EntryRef | undefined;
    for (const m of this.members) {
      if (m.failed) continue;
      const ref = this.current(m);
      if (ref === "wait") return { wait: m };
      if (ref === undefined) continue;
      if (bestRef === undefined || compareEntries(m.file.seqnumId, ref.head, best!.file.seqnumId, bestRef.head) < 0) {
        best = m;
        bestRef = ref;
      }
    }
    if (best === undefined) return "none";
    if (best.pos >= best.file.safeEntries) return "hold";
    return { member: best, ref: bestRef! };
  }

  /** Moves past the entry next() gave: it becomes the location. */
  take(m: Member, ref: EntryRef): void {
    this.location = locationOf(m.file.seqnumId, ref.head);
    this.inclusive = false;
    m.pos++;
    m.ref = undefined;
  }

  /** Stops reading a member's file from its current entry on (it is corrupt there). */
  skipFailed(m: Member, e: unknown): void {
    this.fail(m, e);
  }

  /** Steps over the member's current entry, which cannot be read (reported by the caller). */
  skipEntry(m: Member): void {
    m.pos++;
    m.ref = undefined;
  }

  /** Whether the member was read to its end. */
  exhausted(m: Member): boolean {
    return m.failed || m.pos >= m.file.nEntries;
  }

  remove(m: Member): void {
    const i = this.members.indexOf(m);
    if (i >= 0) this.members.splice(i, 1);
    m.file.close();
  }
}
