// The dead-letter directory of a sink: batches the destination refused for good, each kept as its
// export bytes (NNNNNN.export, re-sendable as is) with one line of STATE/dead-letter/<sink>/index.jsonl
// giving why, when, how many entries and their cursors. Nothing refused vanishes unseen.
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";

export const DEAD_LETTER_INDEX = "index.jsonl";

export interface DeadLetterLine {
  file: string;
  at: string;
  entries: number;
  first_cursor: string;
  last_cursor: string;
  reason: string;
}

export class DeadLetter {
  readonly dir: string;
  private n: number;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.n = readdirSync(dir).filter((f) => f.endsWith(".export")).length;
  }

  /** Writes the batch and its index line durably; returns the file name. */
  write(payload: Buffer, entries: number, first: string, last: string, reason: string): string {
    const file = `${String(++this.n).padStart(6, "0")}.export`;
    const fd = openSync(join(this.dir, file), "w", 0o600);
    try {
      writeSync(fd, payload);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const line: DeadLetterLine = { file, at: new Date().toISOString(), entries, first_cursor: first, last_cursor: last, reason };
    appendFileSync(join(this.dir, DEAD_LETTER_INDEX), JSON.stringify(line) + "\n", { mode: 0o600 });
    return file;
  }
}

export function readDeadLetterIndex(dir: string): DeadLetterLine[] {
  try {
    return readFileSync(join(dir, DEAD_LETTER_INDEX), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as DeadLetterLine);
  } catch {
    return [];
  }
}
