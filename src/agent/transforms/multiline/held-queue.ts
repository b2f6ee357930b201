// The entries multiline holds, in the order they were read: a ring of slots (one per group, at the
// place of its first line) that grows by doubling and is reused, so holding an entry allocates
// nothing. A slot is addressed by its absolute position (a counter that only grows), which stays
// valid while the ring grows. Only a group of several pieces has a Join; a single line has none.
import type { ExportEntry } from "../../../core/journal/export-entry.js";

/** The pieces of a group that has more than one (or whose one piece is a Docker partial). */
export interface Join {
  parts: ExportEntry[];
  /** Per part after the first: true when it was appended to the previous piece without "\n" (Docker). */
  glued: boolean[];
  /** The last piece is a Docker partial. */
  partial: boolean;
}

export class HeldQueue {
  /** Absolute position of the oldest slot, and one past the newest. */
  head = 0;
  tail = 0;
  private mask: number;
  private first: (ExportEntry | undefined)[];
  /** The entry read just before the group's first one (where reading may resume). */
  private resume: (ExportEntry | undefined)[];
  private joins: (Join | undefined)[];
  private closed: Uint8Array;

  constructor(capacity = 1024) {
    this.mask = capacity - 1;
    this.first = new Array<ExportEntry | undefined>(capacity).fill(undefined);
    this.resume = new Array<ExportEntry | undefined>(capacity).fill(undefined);
    this.joins = new Array<Join | undefined>(capacity).fill(undefined);
    this.closed = new Uint8Array(capacity);
  }

  get length(): number {
    return this.tail - this.head;
  }

  /** Adds a slot; returns its position. */
  push(first: ExportEntry, resume: ExportEntry | undefined, closed: boolean, join: Join | undefined): number {
    if (this.tail - this.head > this.mask) this.grow();
    const at = this.tail++;
    const i = at & this.mask;
    this.first[i] = first;
    this.resume[i] = resume;
    this.joins[i] = join;
    this.closed[i] = closed ? 1 : 0;
    return at;
  }

  close(at: number): void {
    this.closed[at & this.mask] = 1;
  }

  setJoin(at: number, j: Join): void {
    this.joins[at & this.mask] = j;
  }

  /** Whether the oldest slot is closed (and may leave). */
  get headClosed(): boolean {
    return this.tail > this.head && this.closed[this.head & this.mask] === 1;
  }

  headFirst(): ExportEntry {
    return this.first[this.head & this.mask]!;
  }

  headJoin(): Join | undefined {
    return this.joins[this.head & this.mask];
  }

  headResume(): ExportEntry | undefined {
    return this.resume[this.head & this.mask];
  }

  /** Drops the oldest slot (its references are released). */
  shift(): void {
    const i = this.head++ & this.mask;
    this.first[i] = undefined;
    this.resume[i] = undefined;
    this.joins[i] = undefined;
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const first = new Array<ExportEntry | undefined>(n).fill(undefined);
    const resume = new Array<ExportEntry | undefined>(n).fill(undefined);
    const joins = new Array<Join | undefined>(n).fill(undefined);
    const closed = new Uint8Array(n);
    for (let at = this.head; at < this.tail; at++) {
      const i = at & this.mask;
      const j = at & (n - 1);
      first[j] = this.first[i];
      resume[j] = this.resume[i];
      joins[j] = this.joins[i];
      closed[j] = this.closed[i]!;
    }
    this.mask = n - 1;
    this.first = first;
    this.resume = resume;
    this.joins = joins;
    this.closed = closed;
  }
}
