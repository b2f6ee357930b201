// logharbor ship --status --state DIR: what the state directory holds, read without disturbing a
// running agent: the checkpoint, each sink's disk buffer (records and bytes not yet acknowledged,
// damaged regions), dead-lettered batches, and reported gaps.
import { existsSync, readdirSync, readFileSync, statfsSync } from "node:fs";
import { open } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CHECKPOINT_FILE } from "./checkpoint.js";
import { readDeadLetterIndex } from "./buffer/dead-letter.js";
import { listSegments, readAckFile } from "./buffer/disk-buffer.js";
import { decodeBody, HEADER_BYTES, headerBodyLength } from "./buffer/record.js";
import { readReports, type Report } from "./reports.js";
import { BUFFER_DIR, DEAD_LETTER_DIR, laneDestination, laneDirs } from "./buffer/lane-dirs.js";

export interface SinkStatus {
  sink: string;
  /** The destination the lane was made for (URL without token); null for lanes of older versions. */
  to: string | null;
  buffered_records: number;
  buffered_entries: number;
  buffered_bytes: number;
  damaged_regions: number;
  oldest_cursor: string | null;
  dead_lettered_batches: number;
  dead_lettered_entries: number;
}

export interface ShipStatus {
  state: string;
  /** The state directory's file system: free and total bytes; `full` when less than 1 MiB is free (the agent then pauses reading). */
  disk: { free_bytes: number; total_bytes: number; full: boolean } | null;
  checkpoint: { cursor: string; saved_at: string } | null;
  sinks: SinkStatus[];
  reports: Report[];
}

/** Below this much free space the agent cannot count on buffering a batch. */
export const STATE_FULL_BYTES = 1024 * 1024;

function diskOf(dir: string): ShipStatus["disk"] {
  try {
    const f = statfsSync(dir);
    const free = f.bavail * f.bsize;
    return { free_bytes: free, total_bytes: f.blocks * f.bsize, full: free < STATE_FULL_BYTES };
  } catch {
    return null;
  }
}

function dirs(p: string): string[] {
  try {
    return readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

async function scanBuffer(dir: string): Promise<Pick<SinkStatus, "buffered_records" | "buffered_entries" | "buffered_bytes" | "damaged_regions" | "oldest_cursor">> {
  const ack = readAckFile(dir);
  const out = { buffered_records: 0, buffered_entries: 0, buffered_bytes: 0, damaged_regions: 0, oldest_cursor: null as string | null };
  for (const seg of listSegments(dir)) {
    if (ack !== undefined && seg.id < ack.segment) continue;
    let off = ack !== undefined && seg.id === ack.segment ? ack.offset : 0;
    out.buffered_bytes += Math.max(0, seg.size - off);
    const fh = await open(join(dir, `${String(seg.id).padStart(16, "0")}.seg`), "r");
    try {
      while (off < seg.size) {
        const head = Buffer.alloc(HEADER_BYTES);
        await fh.read(head, 0, HEADER_BYTES, off);
        const n = headerBodyLength(head);
        if (n === undefined || off + HEADER_BYTES + n > seg.size) {
          out.damaged_regions++;
          break;
        }
        const body = Buffer.alloc(n);
        await fh.read(body, 0, n, off + HEADER_BYTES);
        const d = decodeBody(head, body);
        if (d === undefined) out.damaged_regions++;
        else {
          out.buffered_records++;
          out.buffered_entries += d.entries;
          out.oldest_cursor ??= d.first;
        }
        off += HEADER_BYTES + n;
      }
    } finally {
      await fh.close();
    }
  }
  return out;
}

export async function readShipStatus(stateDir: string): Promise<ShipStatus> {
  const state = resolve(stateDir);
  let checkpoint: ShipStatus["checkpoint"] = null;
  const cf = join(state, CHECKPOINT_FILE);
  if (existsSync(cf)) {
    const j = JSON.parse(readFileSync(cf, "utf8")) as { cursor: string; saved_at: string };
    checkpoint = { cursor: j.cursor, saved_at: j.saved_at };
  }
  const names = [...new Set([...dirs(join(state, BUFFER_DIR)), ...dirs(join(state, DEAD_LETTER_DIR))])].sort();
  const sinks: SinkStatus[] = [];
  for (const sink of names) {
    const lane = laneDirs(state, sink);
    const dl = readDeadLetterIndex(lane.deadLetter);
    sinks.push({
      sink,
      to: laneDestination(state, sink) ?? null,
      ...(await scanBuffer(lane.buffer)),
      dead_lettered_batches: dl.length,
      dead_lettered_entries: dl.reduce((n, l) => n + l.entries, 0),
    });
  }
  return { state, disk: diskOf(state), checkpoint, sinks, reports: readReports(state) };
}

export function formatShipStatus(s: ShipStatus): string {
  const lines = [`state: ${s.state}`];
  if (s.disk?.full) lines.push(`state disk: FULL (${s.disk.free_bytes} of ${s.disk.total_bytes} bytes free): a running agent has paused reading and keeps what it buffered; it resumes by itself once space is freed`);
  else if (s.disk) lines.push(`state disk: ${s.disk.free_bytes} of ${s.disk.total_bytes} bytes free`);
  lines.push(...[`checkpoint: ${s.checkpoint ? `${s.checkpoint.cursor} (saved ${s.checkpoint.saved_at})` : "none (the next start uses --start-at)"}`]);
  for (const k of s.sinks) {
    lines.push(
      `sink ${k.sink}${k.to ? ` (${k.to})` : ""}: ${k.buffered_entries} entries in ${k.buffered_records} records buffered (${k.buffered_bytes} bytes)` +
        (k.damaged_regions ? `, ${k.damaged_regions} damaged regions` : "") +
        `; ${k.dead_lettered_entries} entries in ${k.dead_lettered_batches} dead-lettered batches`,
    );
  }
  for (const r of s.reports) {
    lines.push(
      r.kind === "journal_gap"
        ? `${r.at} journal gap: resumed at ${r.resumed_at_cursor ?? "the start"} after ${r.after_cursor} vanished (${r.missing_entries ?? "unknown number of"} entries missing)`
        : `${r.at} buffer damage in ${r.sink}/${r.segment} at ${r.offset} (${r.bytes} bytes): entries after ${r.lost_after_cursor ?? "?"} ${r.lost_before_cursor ? `before ${r.lost_before_cursor}` : `through ${r.lost_through_cursor ?? "?"}`} lost`,
    );
  }
  return lines.join("\n") + "\n";
}
