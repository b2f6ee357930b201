// Progress and lag: every few seconds, the journal's newest cursor (one cheap probe) against the
// newest entry read and acknowledged gives the backlog in entries (when both share a sequence-number
// id), the lag in journal seconds, and on a terminal a one-line progress report with rate and ETA.
import { parseCursor } from "../core/journal/cursor.js";
import type { ShipMetrics } from "./metrics.js";
import type { Pipeline } from "./pipeline.js";
import type { Source } from "./sources/source.js";

export interface MonitorOptions {
  source: Source;
  pipeline: Pipeline;
  metrics: ShipMetrics;
  /** Where to draw the progress line (a TTY), or undefined for none. */
  tty: NodeJS.WriteStream | undefined;
  intervalMs?: number;
}

const hex = (v: string | undefined) => (v !== undefined && /^[0-9a-f]+$/.test(v) ? Number.parseInt(v, 16) : undefined);

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function startMonitor(o: MonitorOptions): () => void {
  let busy = false;
  let lastRead = o.pipeline.stats.read;
  let lastAt = Date.now();
  let rate = 0;
  let drew = false;
  const tick = async () => {
    if (busy || o.source.head === undefined) return;
    busy = true;
    try {
      const head = await o.source.head();
      const read = o.pipeline.stats.read;
      const now = Date.now();
      const inst = ((read - lastRead) * 1000) / Math.max(1, now - lastAt);
      rate = rate === 0 ? inst : rate * 0.7 + inst * 0.3;
      lastRead = read;
      lastAt = now;
      if (head === undefined) return;
      const h = parseCursor(head);
      const readC = o.pipeline.lastRead?.cursor;
      const r = readC === undefined ? undefined : parseCursor(readC);
      let left: number | undefined;
      if (r !== undefined && r.s === h.s && hex(r.i) !== undefined && hex(h.i) !== undefined) left = Math.max(0, hex(h.i)! - hex(r.i)!);
      if (left !== undefined) o.metrics.backlogEntries.set(left);
      const acked = o.pipeline.lanes.map((l) => l.stats.lastAcked).filter((c): c is string => c !== undefined && c !== "")[0];
      const ht = hex(h.t);
      const at = acked === undefined ? undefined : hex(parseCursor(acked).t);
      const idle = o.pipeline.lanes.every((l) => l.idle) && left === 0;
      // The lag counts from the oldest entry not acknowledged: right after the newest acknowledged one,
      // or, while nothing was acknowledged yet, the first entry read.
      const first = o.pipeline.firstRead?.cursor;
      const from = at ?? (first === undefined ? undefined : hex(parseCursor(first).t));
      if (ht !== undefined) {
        const lag = idle || from === undefined ? 0 : Math.max(0, (ht - from) / 1e6);
        o.metrics.lagSeconds.set(lag);
        o.metrics.lag = lag;
      }
      if (o.tty !== undefined && left !== undefined && (left > 0 || drew)) {
        const eta = rate > 0 ? formatDuration(left / rate) : "?";
        o.tty.write(`\r\x1b[Klogharbor ship: backlog ${left} entries left, ${Math.round(rate)} entries/s, ETA ${eta}`);
        drew = left > 0;
        if (!drew) o.tty.write("\r\x1b[K");
      }
    } finally {
      busy = false;
    }
  };
  const t = setInterval(() => void tick(), o.intervalMs ?? 2000);
  t.unref();
  return () => {
    clearInterval(t);
    if (drew) o.tty?.write("\r\x1b[K");
  };
}
