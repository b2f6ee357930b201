// Reads the journal from a journalctl child process (--output=export [--follow]). When journalctl
// exits while following, it is started again with --after-cursor (with backoff). Pushed-down
// filters (matches.ts) are passed as match arguments.
import { ExportParser } from "../../../core/journal/export-parser.js";
import { journalctlMatchArgs, type JournalMatches } from "../matches.js";
import { ReconnectingSource, type Connection, type SourceOptions } from "../reconnecting-source.js";
import { resumePosition } from "../resume-with-matches.js";
import type { SeekPosition } from "../source.js";
import { selectionArgs, streamArgs, type JournalSelection } from "./args.js";
import { JOURNALCTL, startJournalctl } from "./process.js";

export class JournalctlSource extends ReconnectingSource {
  readonly description: string;
  protected readonly seeksByTime = true;
  private readonly sel: JournalSelection;
  private readonly bin: string;
  private readonly onSpawn: ((pid: number) => void) | undefined;
  private readonly matches: JournalMatches | undefined;

  /**
   * `onSpawn` is told the pid of each journalctl that streams entries (tests use it to kill one);
   * `matches` are journal matches journalctl applies (filters pushed down).
   */
  constructor(sel: JournalSelection, opts: SourceOptions & { bin?: string; onSpawn?: (pid: number) => void; matches?: JournalMatches }) {
    super(opts);
    // Always --merge: journalctl --follow otherwise adds an implicit --boot (journalctl.c:
    // "if (arg_follow && !arg_merge && !arg_boot) arg_boot = true"), which hides every entry of an
    // earlier boot still after the checkpoint — and with --after-cursor even skips the first entry of
    // the current boot. --boot=all cannot undo it. The same flag is used without --follow, so probes
    // and --exit-when-idle read the same journals. Side effect: on a host, journals of other machines
    // stored there (journal-remote, containers) are read too.
    this.sel = { ...sel, merge: true };
    this.bin = opts.bin ?? JOURNALCTL;
    this.onSpawn = opts.onSpawn;
    this.matches = opts.matches?.length ? opts.matches : undefined;
    const where = selectionArgs(this.sel);
    this.description = `journalctl${where.length ? ` ${where.join(" ")}` : ""}`;
  }

  protected async open(pos: SeekPosition, follow: boolean): Promise<Connection> {
    if (this.matches === undefined) return startJournalctl(streamArgs(this.sel, pos, follow), this.log, this.bin, this.onSpawn);
    const at = await resumePosition(pos, this.matches, async (cursor) => (await this.firstEntries(["--output=export", "--no-pager", ...selectionArgs(this.sel), `--cursor=${cursor}`], 1))[0]);
    return startJournalctl([...streamArgs(this.sel, at, follow), ...journalctlMatchArgs(this.matches)], this.log, this.bin, this.onSpawn);
  }

  protected async probeLast(): Promise<string | undefined> {
    const entries = await this.firstEntries(["--output=export", "--no-pager", "--lines=1", ...selectionArgs(this.sel)], Infinity);
    return entries[entries.length - 1]?.cursor;
  }

  protected async probeAt(cursor: string): Promise<string | undefined> {
    const entries = await this.firstEntries(["--output=export", "--no-pager", ...selectionArgs(this.sel), `--cursor=${cursor}`], 1);
    return entries[0]?.cursor;
  }

  protected async probeFirst(): Promise<string | undefined> {
    const entries = await this.firstEntries(["--output=export", "--no-pager", ...selectionArgs(this.sel)], 1);
    return entries[0]?.cursor;
  }

  protected async probeBootStart(bootId: string): Promise<string | undefined> {
    const entries = await this.firstEntries(["--output=export", "--no-pager", ...selectionArgs(this.sel), `_BOOT_ID=${bootId}`], 1);
    return entries[0]?.cursor;
  }

  /** Runs journalctl and parses its output, stopping it once `want` entries arrived. */
  private async firstEntries(args: string[], want: number) {
    const conn = startJournalctl(args, this.log, this.bin);
    const parser = new ExportParser();
    const got = [];
    try {
      for await (const chunk of conn.stream) {
        got.push(...parser.push(chunk as Buffer));
        if (got.length >= want) return got;
      }
      await conn.finished();
      got.push(...parser.end());
      return got;
    } finally {
      conn.close();
    }
  }
}
