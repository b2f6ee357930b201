// Writes generated demo entries into real journal files with systemd-journal-remote, streaming the
// export text into its stdin (`systemd-journal-remote -o FILE --split-mode=none -`), so memory stays
// bounded whatever the count. One file per host (DIR/node-1.journal, ... as a collector holds them)
// or one file for the whole cluster. journal-remote rotates a file that reaches its size limit into
// DIR/<name>@<...>.journal and goes on in a fresh one: `journalctl --directory DIR` reads them all.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { encodeExportEntry, type ExportField } from "../core/journal/export-encoder.js";
import { FIELD_HOSTNAME } from "../core/journal/fields.js";
import { DEFAULT_HOSTS, demoHostNames, generateEntries, type GenerateOptions } from "./generator.js";

export const JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote";

/** Export text is handed to journal-remote in chunks of about this size. */
const CHUNK_BYTES = 256 * 1024;
/**
 * Bytes queued for one journal-remote before the generator waits for it. Generous, so that one busy
 * writer does not leave the others idle (per-host layout: one journal-remote per host, in parallel).
 */
const QUEUE_BYTES = 8 * 1024 * 1024;

export interface DemoJournalOptions extends GenerateOptions {
  /** "per-host" (default): DIR/node-N.journal per host; "single": DIR/<name>.journal for all. */
  layout?: "per-host" | "single";
  /** File name (without .journal) for the single layout; default "cluster". */
  name?: string;
  /** Called about every 50,000 entries with the number written so far. */
  onProgress?: (written: number) => void;
  /** The journal-remote binary; default /lib/systemd/systemd-journal-remote. */
  journalRemote?: string;
}

export interface DemoJournalResult {
  dir: string;
  /** Every journal file in DIR afterwards (rotation may have made several per output). */
  files: string[];
  entries: number;
  /** Entries written per output name (host name, or the single file's name). */
  perOutput: Record<string, number>;
  seconds: number;
}

const CONTROL = /[\x00-\x1f\x7f]/;

/** The export text of one entry, fast path for plain text values; binary-safe fallback otherwise. */
function encode(fields: readonly ExportField[]): string | Buffer {
  let s = "";
  for (const [name, value] of fields) {
    if (typeof value !== "string" || CONTROL.test(value)) return encodeExportEntry(fields);
    s += `${name}=${value}\n`;
  }
  return s + "\n";
}

class RemoteWriter {
  readonly name: string;
  readonly file: string;
  entries = 0;
  private readonly child: ChildProcess;
  private readonly stdin: Writable;
  private parts: Array<string | Buffer> = [];
  private size = 0;
  private stderr = "";
  private error: Error | undefined;
  private readonly exited: Promise<number | null>;

  constructor(binary: string, name: string, file: string) {
    this.name = name;
    this.file = file;
    this.child = spawn(binary, [`--output=${file}`, "--split-mode=none", "-"], { stdio: ["pipe", "ignore", "pipe"] });
    this.stdin = this.child.stdin!;
    this.stdin.on("error", (e) => (this.error ??= e));
    this.child.stderr!.on("data", (d: Buffer) => {
      if (this.stderr.length < 16384) this.stderr += d.toString("utf8");
    });
    this.exited = new Promise((resolve) => {
      this.child.once("error", (e) => {
        this.error ??= e;
        resolve(null);
      });
      this.child.once("close", (code) => resolve(code));
    });
  }

  /** Adds an entry; resolves at once unless journal-remote is behind (backpressure). */
  add(entry: string | Buffer): Promise<void> | undefined {
    this.parts.push(entry);
    this.size += entry.length;
    this.entries++;
    return this.size >= CHUNK_BYTES ? this.flush() : undefined;
  }

  private flush(): Promise<void> | undefined {
    if (this.error) return this.exited.then((code) => Promise.reject(this.failure(code)));
    if (this.parts.length === 0) return undefined;
    const chunk = Buffer.concat(this.parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
    this.parts = [];
    this.size = 0;
    this.stdin.write(chunk);
    if (this.stdin.writableLength < QUEUE_BYTES) return undefined;
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.child.off("close", onClose);
        resolve();
      };
      const onClose = (code: number | null): void => {
        this.stdin.off("drain", onDrain);
        reject(this.failure(code));
      };
      this.stdin.once("drain", onDrain);
      this.child.once("close", onClose);
    });
  }

  async finish(): Promise<void> {
    try {
      await this.flush();
    } catch {
      // journal-remote is gone: report how it ended rather than the broken pipe.
    }
    this.stdin.end();
    const code = await this.exited;
    if (code !== 0 || this.error) throw this.failure(code);
    const m = /Finishing after writing (\d+) entries/.exec(this.stderr);
    if (m && Number(m[1]) !== this.entries) {
      throw new Error(`${this.file}: systemd-journal-remote wrote ${m[1]} entries, expected ${this.entries}: ${this.stderr.trim()}`);
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  private failure(code?: number | null): Error {
    const status = code ?? this.child.exitCode;
    const signal = this.child.signalCode;
    const why = status !== null && status !== 0 ? `exit status ${status}` : signal ? `killed by ${signal}` : this.error?.message ?? "unknown";
    return new Error(`systemd-journal-remote writing ${this.file} failed (${why}): ${this.stderr.trim() || "no output"}`);
  }
}

/** Journal files (active and rotated) in dir, sorted. */
export function listJournalFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".journal") || f.endsWith(".journal~"))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Generates opts.count entries and writes them as journal files in dir. Journal files already in dir
 * are removed first (nothing else is touched), so the result holds exactly the generated entries.
 */
export async function writeDemoJournal(dir: string, opts: DemoJournalOptions): Promise<DemoJournalResult> {
  const began = process.hrtime.bigint();
  mkdirSync(dir, { recursive: true });
  for (const f of listJournalFiles(dir)) rmSync(f, { force: true });
  const binary = opts.journalRemote ?? JOURNAL_REMOTE;
  const names = opts.layout === "single" ? [opts.name ?? "cluster"] : demoHostNames(opts.hosts ?? DEFAULT_HOSTS);
  const writers = new Map(names.map((n) => [n, new RemoteWriter(binary, n, join(dir, `${n}.journal`))]));
  const single = opts.layout === "single" ? writers.get(names[0]!)! : undefined;
  let written = 0;
  try {
    for (const fields of generateEntries(opts)) {
      let w = single;
      if (w === undefined) {
        const host = fields.find(([n]) => n === FIELD_HOSTNAME)?.[1];
        w = writers.get(String(host));
        if (w === undefined) throw new Error(`writeDemoJournal: entry for unknown host ${String(host)}`);
      }
      const wait = w.add(encode(fields));
      if (wait) await wait;
      written++;
      if (opts.onProgress && written % 50000 === 0) opts.onProgress(written);
    }
    await Promise.all([...writers.values()].map((w) => w.finish()));
  } catch (e) {
    for (const w of writers.values()) w.kill();
    throw e;
  }
  const perOutput: Record<string, number> = {};
  for (const w of writers.values()) perOutput[w.name] = w.entries;
  return {
    dir,
    files: listJournalFiles(dir),
    entries: written,
    perOutput,
    seconds: Number(process.hrtime.bigint() - began) / 1e9,
  };
}
