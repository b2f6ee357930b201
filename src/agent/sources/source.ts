// A journal source: entries in journal order, read only as fast as the consumer pulls.
import type { ExportEntry } from "../../core/journal/export-entry.js";

/** Where to start reading (without a checkpoint, from --start-at; with one, after its cursor). */
export type StartPosition =
  | { kind: "oldest" }
  | { kind: "now" }
  | { kind: "boot" }
  | { kind: "time"; us: number }
  | { kind: "after"; cursor: string };

/** A start position a journal reader can seek to directly. */
export type SeekPosition =
  | { kind: "head" }
  | { kind: "at"; cursor: string }
  | { kind: "after"; cursor: string }
  | { kind: "since"; us: number };

export interface Source {
  /** For logs: which journal this reads, e.g. "gatewayd:/run/journald.sock". */
  readonly description: string;
  /**
   * Entries in journal order, in the arrays the export parser produced (one per chunk read), so the
   * consumer pays one promise per chunk, not per entry. Nothing is read while the consumer does not
   * pull: that is the backpressure. Ends when the journal is exhausted (not following) or after close().
   * Entries hold the raw export bytes exactly as read.
   */
  read(): AsyncGenerator<ExportEntry[], void, undefined>;
  /** The cursor of the last entry delivered; a reconnect resumes right after it. */
  readonly lastCursor: string | undefined;
  /** The cursor of the newest entry in the journal, for progress and lag (optional). */
  head?(): Promise<string | undefined>;
  /** Stops reading: a pending read() ends, the connection or child process is closed. */
  close(): void;
}
