// The checkpoint: the cursor of the last entry every destination acknowledged, in STATE/checkpoint.json.
// Written atomically (temporary file, fsync, rename, fsync of the directory), so after a crash it
// holds either the previous cursor or the new one, never a torn file. Saves are coalesced: while one
// write runs, only the newest cursor asked for is written next.
import { mkdir, open, readFile, rename, access, constants, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { LogharborError } from "../core/errors.js";
import { isWellFormedCursor } from "../core/journal/cursor.js";
import { isNoSpace, NO_SPACE_RETRY_MS } from "./no-space.js";

export const CHECKPOINT_FILE = "checkpoint.json";

interface CheckpointFile {
  version: 1;
  cursor: string;
  saved_at: string;
}

export class Checkpoint {
  readonly dir: string;
  readonly file: string;
  private current: string | undefined;
  private pending: string | undefined;
  private writing: Promise<void> | undefined;
  private failure: unknown;

  private constructor(dir: string, cursor: string | undefined) {
    this.dir = dir;
    this.file = join(dir, CHECKPOINT_FILE);
    this.current = cursor;
  }

  /** Opens (creating the directory) and reads the saved cursor, if any. */
  static async open(dir: string): Promise<Checkpoint> {
    const abs = resolve(dir);
    try {
      await mkdir(abs, { recursive: true });
      await access(abs, constants.W_OK);
    } catch (e) {
      throw new LogharborError("LH_ERR_STATE", `--state ${dir}: expected a writable directory, got ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { cause: e });
    }
    return new Checkpoint(abs, await readCursor(join(abs, CHECKPOINT_FILE)));
  }

  /** The last saved (or being saved) cursor. */
  get cursor(): string | undefined {
    return this.pending ?? this.current;
  }

  /** Asks for the cursor to be saved; returns at once. Errors surface in flush(). */
  save(cursor: string): void {
    this.pending = cursor;
    if (this.writing === undefined) this.writing = this.drain();
  }

  /** Set by flush(): no more waiting for space (the agent is stopping). */
  private stopping = false;
  /** Cuts short the wait before the next try on a full disk. */
  private wakeRetry: (() => void) | undefined;

  /** Waits until every cursor asked for is on disk (on a full disk: gives up after one more try); throws if a write failed. */
  async flush(): Promise<void> {
    this.stopping = true;
    this.wakeRetry?.();
    while (this.writing !== undefined) await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const c = this.pending;
        this.pending = undefined;
        try {
          await writeAtomic(this.file, JSON.stringify({ version: 1, cursor: c, saved_at: new Date().toISOString() } satisfies CheckpointFile) + "\n");
        } catch (e) {
          if (!isNoSpace(e)) throw e;
          this.noSpace?.(e as Error);
          if (this.stopping) {
            // Stopping with the disk still full: the previous checkpoint stands (what follows it is
            // read again on the next start and deduplicated by the server).
            this.pending = undefined;
            break;
          }
          // A full disk: the previous checkpoint stays (a restart reads a little again, deduplicated);
          // this cursor (or a newer one asked for meanwhile) is written once there is space.
          this.pending ??= c;
          await new Promise<void>((r) => {
            const t = setTimeout(r, NO_SPACE_RETRY_MS);
            this.wakeRetry = () => {
              clearTimeout(t);
              r();
            };
          });
          this.wakeRetry = undefined;
          continue;
        }
        this.current = c;
      }
    } catch (e) {
      this.failure = new LogharborError("LH_ERR_STATE", `${this.file}: could not save the checkpoint: ${(e as Error).message}`, { cause: e });
    } finally {
      this.writing = undefined;
    }
  }

  /** Told of each checkpoint write that failed for want of space (it is retried). */
  noSpace: ((e: Error) => void) | undefined;
}

async function readCursor(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new LogharborError("LH_ERR_STATE", `${file}: cannot read the checkpoint: ${(e as Error).message}`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const cursor = (parsed as Partial<CheckpointFile> | undefined)?.cursor;
  if (typeof cursor !== "string" || !isWellFormedCursor(cursor)) {
    throw new LogharborError(
      "LH_ERR_STATE",
      `${file}: expected {"version":1,"cursor":"s=...;i=...;b=...;m=...;t=...;x=..."}, got ${JSON.stringify(text.slice(0, 200))}; move the file away to start over from --start-at`,
    );
  }
  return cursor;
}

export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await open(tmp, "w", 0o644);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  await rename(tmp, file);
  const dh = await open(dirname(file), "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** For --check: a problem with the state directory, or undefined when it is (or can be) used. */
export async function stateDirProblem(dir: string): Promise<string | undefined> {
  const abs = resolve(dir);
  let probe = abs;
  for (;;) {
    try {
      const s = await stat(probe);
      if (!s.isDirectory()) return `--state ${dir}: expected a directory, but ${probe} is not one`;
      await access(probe, constants.W_OK);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && dirname(probe) !== probe) {
        probe = dirname(probe);
        continue;
      }
      return `--state ${dir}: expected a writable directory, got ${code ?? String(e)} for ${probe}`;
    }
  }
  if (probe !== abs) return undefined;
  try {
    await readCursor(join(abs, CHECKPOINT_FILE));
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}
