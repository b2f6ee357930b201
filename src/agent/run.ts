// Wires a ship run: checkpoint → start position (verified) → source → pipeline → one lane per sink
// (disk buffer + dead-letter directory + sink); optional /metrics and /healthz; progress on a TTY.
import { DeadLetter } from "./buffer/dead-letter.js";
import { DiskBuffer } from "./buffer/disk-buffer.js";
import { Lane } from "./buffer/lane.js";
import { laneDirs, prepareLanes } from "./buffer/lane-dirs.js";
import { Checkpoint } from "./checkpoint.js";
import type { ShipConfig } from "./config.js";
import { formatJournalSpec } from "./journal-spec.js";
import type { Logger } from "./logger.js";
import { ShipMetrics } from "./metrics.js";
import { startMetricsServer, type MetricsServer } from "./metrics-server.js";
import { startMonitor } from "./monitor.js";
import { createChain } from "./transforms/create.js";
import { pushDownMatches } from "./transforms/filter/push-down.js";
import { routesFor } from "./transforms/route/route.js";
import { describeMatches } from "./sources/matches.js";
import { registerTransformMetrics } from "./transforms/metrics.js";
import { Pipeline, type PipelineStats } from "./pipeline.js";
import { appendReport } from "./reports.js";
import { createSink } from "./sinks/create.js";
import { createSource } from "./sources/create.js";
import type { StartPosition } from "./sources/source.js";
import { formatStartPosition } from "./start-at.js";
import { hostname as osHostname } from "node:os";
import { encodeAgentReport } from "../core/wire/agent-report.js";
import { VERSION } from "../core/version.js";

export const STOP_DEADLINE_MS = 5000;

export interface ShipRun {
  pipeline: Pipeline;
  /** The newest delivery problem (a retried send), with when it happened; undefined while none. */
  lastDeliveryError(): { message: string; at: string } | undefined;
  metrics: ShipMetrics;
  metricsServer: MetricsServer | undefined;
  done: Promise<PipelineStats>;
}

export async function startShip(c: ShipConfig, log: Logger, opts: { tty?: NodeJS.WriteStream; hostname?: string } = {}): Promise<ShipRun> {
  const checkpoint = await Checkpoint.open(c.stateDir);
  const saved = checkpoint.cursor;
  const metrics = new ShipMetrics();
  checkpoint.noSpace = (e) => {
    metrics.stateWriteFailures.inc({ what: "checkpoint" });
    log.warn({ err: e.message }, "the state directory's disk is full: the checkpoint is kept in memory and saved once there is space");
  };
  const start: StartPosition = saved !== undefined ? { kind: "after", cursor: saved } : c.startAt;
  // The leading filters' conditions the journal can apply itself (the filters still run here too).
  const matches = c.transforms?.length ? pushDownMatches(c.transforms) : undefined;
  const source = createSource(c.journal, c.selection, {
    start,
    matches,
    follow: !c.exitWhenIdle,
    log,
    onGap: (g) => {
      metrics.gaps.inc();
      appendReport(checkpoint.dir, { kind: "journal_gap", after_cursor: g.after, resumed_at_cursor: g.resumedAt ?? null, missing_entries: g.missingEntries ?? null, missing_seconds: g.missingSeconds ?? null });
    },
  });
  // One lane per destination (each with its own buffer and dead letters), in --to order; a lane's
  // directories are named after its destination (buffer/lane-dirs.ts), so a restart finds them
  // whatever the order, and no destination ever sends another's entries.
  const destinations = c.destinations;
  const plan = prepareLanes(checkpoint.dir, destinations);
  for (const a of plan.adopted) {
    log.warn({ lane: a.to, was: a.from, was_destination: a.fromTo ?? null }, "a destination no longer listed left a buffer, and one new destination of its kind has none: it takes that buffer over and sends what it holds");
  }
  for (const o of plan.orphaned) {
    log.warn({ lane: o.lane, destination: o.to ?? null }, "the buffer of a destination no longer listed is left on disk, unsent (list the destination again to send it; `ship --status` shows it)");
  }
  const names = plan.names;
  const lanes: Lane[] = [];
  let deliveryError: { message: string; at: string } | undefined;
  // What our server's fleet view shows of this agent, sent with each batch (core/wire/agent-report.ts).
  const hostname = opts.hostname ?? osHostname();
  const agentReport = () =>
    encodeAgentReport({
      hostname, version: VERSION, lag_seconds: metrics.lag, buffer_bytes: lanes.reduce((n, l) => n + l.buffer.bytes, 0),
      last_error: deliveryError?.message ?? null, last_error_at: deliveryError?.at ?? null,
    });
  for (const [i, destination] of destinations.entries()) {
    const name = names[i]!;
    const dirs = laneDirs(checkpoint.dir, name);
    const onRetry = (info?: { reason: string }) => {
      metrics.retries.inc({ sink: name });
      deliveryError = { message: `${destination.display}: ${info?.reason ?? "delivery failed"}; retrying`, at: new Date().toISOString() };
    };
    const sink = createSink(destination, { log, maxInFlight: c.maxInFlight, onRetry, agentReport, deadLetterDir: dirs.deadLetter });
    const buffer = await DiskBuffer.open({ dir: dirs.buffer, maxBytes: c.buffer.maxBytes, checkpoint: saved });
    lanes.push(
      new Lane({
        name,
        sink,
        buffer,
        deadLetter: new DeadLetter(dirs.deadLetter),
        log,
        metrics,
        maxInFlight: c.maxInFlight,
        whenFull: c.buffer.whenFull,
        onDamage: (sinkName, d) =>
          appendReport(checkpoint.dir, { kind: "buffer_damage", sink: sinkName, segment: d.segment, offset: d.offset, bytes: d.bytes, lost_after_cursor: d.lostAfter ?? null, lost_before_cursor: d.lostBefore ?? null, lost_through_cursor: d.lostThrough ?? null }),
      }),
    );
  }
  const transforms = c.transforms?.length ? createChain(c.transforms) : undefined;
  const routes = c.transforms?.length ? routesFor(destinations.map((d) => d.display), c.transforms) : undefined;
  if (transforms !== undefined) registerTransformMetrics(metrics.registry, transforms);
  const pipeline = new Pipeline({
    source,
    lanes,
    checkpoint,
    log,
    metrics,
    limits: c.limits,
    maxBatchMs: c.maxBatchMs,
    stopDeadlineMs: STOP_DEADLINE_MS,
    transforms,
    routes,
  });
  let metricsServer: MetricsServer | undefined;
  let running = true;
  if (c.metrics !== undefined) {
    metricsServer = await startMetricsServer(c.metrics, metrics, () => {
      const failed = pipeline.lanes.find((l) => l.failure !== undefined);
      return { ok: running && failed === undefined, detail: { buffered_bytes: pipeline.lanes.reduce((n, l) => n + l.buffer.bytes, 0), checkpoint: pipeline.stats.cursor ?? saved ?? null } };
    });
    log.info({ url: metricsServer.url }, `metrics on ${metricsServer.url}/metrics`);
  }
  const stopMonitor = startMonitor({ source, pipeline, metrics, tty: opts.tty, intervalMs: opts.tty ? 1000 : 5000 });
  log.info(
    {
      journal: formatJournalSpec(c.journal),
      source: source.description,
      destination: destinations.map((d) => d.display).join(", "),
      state: checkpoint.dir,
      start: formatStartPosition(start),
      checkpoint: saved !== undefined,
      follow: !c.exitWhenIdle,
      buffered_bytes: lanes.reduce((n, l) => n + l.buffer.bytes, 0),
      ...(matches !== undefined ? { pushed_down: describeMatches(matches) } : {}),
    },
    saved !== undefined ? "shipping, resuming after the saved checkpoint" : "shipping, no checkpoint yet",
  );
  const done = pipeline.run().finally(async () => {
    running = false;
    stopMonitor();
    await metricsServer?.close();
  });
  return { pipeline, metrics, metricsServer, done, lastDeliveryError: () => deliveryError };
}

export function summaryLine(s: PipelineStats, seconds: number): string {
  const rate = seconds > 0 ? Math.round(s.entries / seconds) : 0;
  return (
    `logharbor ship: shipped ${s.entries} entries in ${s.batches} batches (${s.accepted} accepted, ${s.duplicates} duplicates reported by the server)` +
    ` in ${seconds.toFixed(1)} s (${rate} entries/s)` +
    (s.deadLettered ? `; ${s.deadLettered} entries refused for good, in the dead-letter directory` : "") +
    (s.dropped ? `; ${s.dropped} entries dropped with the disk buffer full` : "") +
    (s.damaged ? `; ${s.damaged} damaged buffer regions skipped` : "") +
    (s.leftBytes ? `; ${s.leftBytes} bytes left in the disk buffer are sent on the next start` : "")
  );
}
