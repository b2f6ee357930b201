// The transform contract and the chain that applies several in order. A transform takes one entry
// and pushes 0..n entries onto `out` (no array per call); `flush` emits what it holds once the
// clock says so (multiline groups past their timeout, throttle summaries), or everything when
// `force` is set (the source ended or the agent stops). Entries travel as raw export bytes: a
// transform that changes an entry re-encodes it (edit.ts) and passes everything else through as is.
import type { ExportEntry } from "../../core/journal/export-entry.js";

export interface Transform {
  /** The verb and its position in the chain, for metrics and logs ("redact#1"). */
  readonly name: string;
  process(entry: ExportEntry, out: ExportEntry[]): void;
  /** Emits held entries whose time has come (all of them with force). */
  flush(nowMs: number, out: ExportEntry[], force: boolean): void;
  /** Entries read but held back (not yet emitted); 0 for transforms that hold nothing. */
  readonly held: number;
  /**
   * When entries are held: the cursor of the entry seen just before the oldest held one (reading
   * may resume after it without losing a held entry); undefined when there is none.
   */
  resumeCursor?(): string | undefined;
  /** Counters for metrics: name → value. */
  counters(): Record<string, number>;
}

/**
 * Applies transforms in order. With no transforms, `apply` returns its input array untouched:
 * the bare pipeline pays one length check per chunk of entries.
 */
export class TransformChain {
  readonly transforms: readonly Transform[];
  private readonly out: ExportEntry[] = [];
  /** Per transform but the last: what it emitted for the entry being passed on. */
  private readonly steps: ExportEntry[][];

  constructor(transforms: readonly Transform[]) {
    this.transforms = transforms;
    this.steps = transforms.map(() => []);
  }

  get empty(): boolean {
    return this.transforms.length === 0;
  }

  /**
   * Runs a chunk of entries through every transform; the result is valid until the next call. Each
   * entry goes through the whole chain before the next one is taken, so the transforms read it
   * while its fields' positions are fresh (field-scan.ts scans it once for all of them).
   */
  apply(entries: readonly ExportEntry[]): readonly ExportEntry[] {
    const ts = this.transforms;
    if (ts.length === 0) return entries;
    const out = this.out;
    out.length = 0;
    if (ts.length === 1) {
      const t = ts[0]!;
      for (let i = 0; i < entries.length; i++) t.process(entries[i]!, out);
      return out;
    }
    for (let i = 0; i < entries.length; i++) this.pass(0, entries[i]!, out);
    for (const step of this.steps) step.length = 0;
    return out;
  }

  /**
   * One entry through transforms t.. (what transform t emits goes on at once). The step arrays
   * are emptied once per chunk, not per entry (setting an array's length is not free).
   */
  private pass(t: number, e: ExportEntry, out: ExportEntry[]): void {
    const tr = this.transforms[t]!;
    if (t === this.transforms.length - 1) {
      tr.process(e, out);
      return;
    }
    const step = this.steps[t]!;
    const from = step.length;
    tr.process(e, step);
    for (let k = from; k < step.length; k++) this.pass(t + 1, step[k]!, out);
  }

  /** Emits what the transforms hold whose time has come (everything with force), through the rest of the chain. */
  flush(nowMs: number, force = false): ExportEntry[] {
    let carried: ExportEntry[] = [];
    for (const tr of this.transforms) {
      const out: ExportEntry[] = [];
      for (const e of carried) tr.process(e, out);
      tr.flush(nowMs, out, force);
      carried = out;
    }
    return carried;
  }

  /** Entries held back somewhere in the chain. */
  get held(): number {
    let n = 0;
    for (const t of this.transforms) n += t.held;
    return n;
  }

  /**
   * Where the checkpoint may move when entries are held: the resume cursor of the one transform
   * holding entries. `null` means "do not move" (several transforms hold entries, or the holder
   * cannot say); undefined `held` → the caller's own cursor applies.
   */
  checkpointCursor(newest: string | undefined): string | undefined | null {
    let holder: Transform | undefined;
    for (const t of this.transforms) {
      if (t.held === 0) continue;
      if (holder !== undefined || t.resumeCursor === undefined) return null;
      holder = t;
    }
    if (holder === undefined) return newest;
    return holder.resumeCursor!() ?? null;
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.transforms) for (const [k, v] of Object.entries(t.counters())) out[`${t.name}.${k}`] = v;
    return out;
  }
}
