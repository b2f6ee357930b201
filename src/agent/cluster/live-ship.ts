// `logharbor ship --etcd`: runs the pipeline with the configuration from etcd and swaps it when etcd
// changes. A swap happens at a batch boundary: the running pipeline stops reading, what it read is
// acknowledged or stays in its disk buffer with the checkpoint where the acknowledgements got to, and
// the next pipeline (new sinks, tokens, filters) resumes from that checkpoint — nothing lost, nothing
// read twice. Changes that arrive during a swap are collapsed into the newest one.
import type { ShipConfig } from "../config.js";
import type { Logger } from "../logger.js";
import type { PipelineStats } from "../pipeline.js";
import { startShip, type ShipRun } from "../run.js";

export interface LiveShipOptions {
  first: ShipConfig;
  log: Logger;
  tty?: NodeJS.WriteStream;
  /** This host's name in the agent's report (default: the system's). */
  hostname?: string;
  /** Starts a run (tests may wrap it). */
  start?: (c: ShipConfig) => Promise<ShipRun>;
  /** Each new run, the first included (to register more metrics in its registry, ...). */
  onRun?: (run: ShipRun) => void;
}

export class LiveShip {
  run!: ShipRun;
  swaps = 0;
  private earlier: PipelineStats[] = [];
  private pending: ShipConfig | undefined;
  private swapping: Promise<void> | undefined;
  private stopping = false;
  private finished!: (s: PipelineStats) => void;
  private failed!: (e: unknown) => void;
  /** Resolves when stop() ended the run (not on a swap); rejects when a run fails. */
  readonly done: Promise<PipelineStats>;

  private constructor(private readonly o: LiveShipOptions) {
    this.done = new Promise((resolve, reject) => {
      this.finished = resolve;
      this.failed = reject;
    });
  }

  static async start(o: LiveShipOptions): Promise<LiveShip> {
    const s = new LiveShip(o);
    await s.begin(o.first);
    return s;
  }

  private async begin(c: ShipConfig): Promise<void> {
    const run = await (this.o.start ?? ((x) => startShip(x, this.o.log, { ...(this.o.tty ? { tty: this.o.tty } : {}), ...(this.o.hostname !== undefined ? { hostname: this.o.hostname } : {}) })))(c);
    this.run = run;
    this.o.onRun?.(run);
    run.done.then(
      (stats) => {
        // A swap stopped it: the next run takes over. Otherwise the agent is done.
        if (this.run === run && this.swapping === undefined) this.finished({ ...this.stats(), cursor: stats.cursor, leftBytes: stats.leftBytes });
      },
      (e) => this.failed(e),
    );
  }

  /** The counts of every run so far (the current one included); cursor and leftBytes are the current run's. */
  stats(): PipelineStats {
    const cur = this.run.pipeline.stats;
    const sum = (k: "read" | "entries" | "batches" | "accepted" | "duplicates" | "deadLettered" | "dropped" | "damaged"): number =>
      this.earlier.reduce((n, s) => n + s[k], 0) + cur[k];
    return {
      read: sum("read"),
      entries: sum("entries"),
      batches: sum("batches"),
      accepted: sum("accepted"),
      duplicates: sum("duplicates"),
      deadLettered: sum("deadLettered"),
      dropped: sum("dropped"),
      damaged: sum("damaged"),
      cursor: cur.cursor,
      leftBytes: cur.leftBytes,
    };
  }

  /** A new configuration: applied at the next batch boundary. */
  apply(c: ShipConfig): void {
    if (this.stopping) return;
    this.pending = c;
    this.swapping ??= this.swapLoop();
  }

  /**
   * Applies pending configurations one after the other. `swapping` is cleared in the same turn as
   * the loop's last check, so a configuration that arrives later always starts a new loop; a run
   * that cannot start ends the agent (done rejects) instead of leaving it without a pipeline.
   */
  private async swapLoop(): Promise<void> {
    try {
      await this.swapEach();
    } catch (e) {
      this.failed(e);
    } finally {
      this.swapping = undefined;
    }
  }

  private async swapEach(): Promise<void> {
    while (this.pending !== undefined && !this.stopping) {
      const next = this.pending;
      this.pending = undefined;
      const old = this.run;
      this.o.log.info({}, "applying the new configuration: finishing the current batches, then resuming from the checkpoint");
      old.pipeline.stop();
      try {
        await old.done;
      } catch (e) {
        this.failed(e);
        return;
      }
      if (this.stopping) {
        this.finished(this.stats());
        return;
      }
      this.earlier.push({ ...old.pipeline.stats });
      await this.begin(next);
      this.swaps++;
      this.o.log.info({ swaps: this.swaps }, "shipping with the new configuration");
    }
  }

  /** Stops for good (SIGTERM): the current run drains until its deadline. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.swapping;
    this.run.pipeline.stop();
  }
}
