// Wires a ship run: checkpoint → start position → source → pipeline → sink; stops on SIGTERM/SIGINT.
import { Checkpoint } from "./checkpoint.js";
import type { ShipConfig } from "./config.js";
import { formatJournalSpec } from "./journal-spec.js";
import type { Logger } from "./logger.js";
import { Pipeline, type PipelineStats } from "./pipeline.js";
import { HarborSink } from "./sinks/harbor/sink.js";
import { createSource } from "./sources/create.js";
import type { StartPosition } from "./sources/source.js";
import { formatStartPosition } from "./start-at.js";

export const STOP_DEADLINE_MS = 5000;

export interface ShipRun {
  pipeline: Pipeline;
  done: Promise<PipelineStats>;
}

export async function startShip(c: ShipConfig, log: Logger): Promise<ShipRun> {
  const checkpoint = await Checkpoint.open(c.stateDir);
  const saved = checkpoint.cursor;
  const start: StartPosition = saved !== undefined ? { kind: "after", cursor: saved } : c.startAt;
  const source = createSource(c.journal, c.selection, { start, follow: !c.exitWhenIdle, log });
  const sink = new HarborSink({
    ingestUrl: c.destination.ingestUrl,
    token: c.destination.token,
    display: c.destination.display,
    log,
    maxSockets: c.maxInFlight + 1,
  });
  const pipeline = new Pipeline({
    source,
    sink,
    checkpoint,
    log,
    limits: c.limits,
    maxBatchMs: c.maxBatchMs,
    maxInFlight: c.maxInFlight,
    stopDeadlineMs: STOP_DEADLINE_MS,
  });
  log.info(
    {
      journal: formatJournalSpec(c.journal),
      source: source.description,
      destination: c.destination.display,
      state: checkpoint.dir,
      start: formatStartPosition(start),
      checkpoint: saved !== undefined,
      follow: !c.exitWhenIdle,
    },
    saved !== undefined ? "shipping, resuming after the saved checkpoint" : "shipping, no checkpoint yet",
  );
  return { pipeline, done: pipeline.run() };
}

export function summaryLine(s: PipelineStats, seconds: number): string {
  const rate = seconds > 0 ? Math.round(s.entries / seconds) : 0;
  return (
    `logharbor ship: shipped ${s.entries} entries in ${s.batches} batches (${s.accepted} accepted, ${s.duplicates} duplicates reported by the server)` +
    ` in ${seconds.toFixed(1)} s (${rate} entries/s)` +
    (s.abandoned ? `; ${s.abandoned} entries unacknowledged at the stop deadline will be read again` : "")
  );
}
