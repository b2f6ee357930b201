// The agent's Prometheus metrics (logharbor_ship_*), in their own registry. Always counted (cheap);
// served only with --metrics HOST:PORT.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export class ShipMetrics {
  readonly registry = new Registry();
  readonly read: Counter<string>;
  readonly sent: Counter<string>;
  readonly acknowledged: Counter<string>;
  readonly retries: Counter<string>;
  readonly deadLettered: Counter<string>;
  readonly dropped: Counter<string>;
  readonly damaged: Counter<string>;
  readonly gaps: Counter<string>;
  readonly bufferedBytes: Gauge<string>;
  readonly lagSeconds: Gauge<string>;
  readonly backlogEntries: Gauge<string>;
  readonly stateFull: Gauge<string>;
  readonly stateWriteFailures: Counter<string>;
  /** The lag as the monitor last measured it (the gauge's value, readable at once), null before. */
  lag: number | null = null;

  constructor() {
    const r = [this.registry];
    this.read = new Counter({ name: "logharbor_ship_entries_read_total", help: "Journal entries read from the source.", registers: r });
    this.sent = new Counter({ name: "logharbor_ship_entries_sent_total", help: "Entries sent to a destination (each attempt of a batch counts once).", labelNames: ["sink"], registers: r });
    this.acknowledged = new Counter({ name: "logharbor_ship_entries_acknowledged_total", help: "Entries the destination acknowledged.", labelNames: ["sink"], registers: r });
    this.retries = new Counter({ name: "logharbor_ship_retries_total", help: "Batch sends retried after a retriable failure.", labelNames: ["sink"], registers: r });
    this.deadLettered = new Counter({ name: "logharbor_ship_dead_lettered_entries_total", help: "Entries of batches the destination refused for good, written to the dead-letter directory.", labelNames: ["sink"], registers: r });
    this.dropped = new Counter({ name: "logharbor_ship_dropped_entries_total", help: "Entries dropped because the disk buffer was full (when_full=drop_newest only).", labelNames: ["sink"], registers: r });
    this.damaged = new Counter({ name: "logharbor_ship_buffer_damaged_records_total", help: "Damaged regions of the disk buffer skipped (checksum mismatch, torn or truncated record).", labelNames: ["sink"], registers: r });
    this.gaps = new Counter({ name: "logharbor_ship_journal_gaps_total", help: "Times the saved cursor's entry was gone from the journal (vacuumed) at start.", registers: r });
    this.bufferedBytes = new Gauge({ name: "logharbor_ship_buffered_bytes", help: "Bytes in the disk buffer not yet acknowledged.", labelNames: ["sink"], registers: r });
    this.lagSeconds = new Gauge({ name: "logharbor_ship_lag_seconds", help: "Journal time between the newest entry in the journal and the newest entry acknowledged.", registers: r });
    this.backlogEntries = new Gauge({ name: "logharbor_ship_backlog_entries", help: "Entries in the journal not read yet (when the journal tells).", registers: r });
    this.stateFull = new Gauge({ name: "logharbor_ship_state_full", help: "1 while the state directory's disk is full: reading is paused, what was read is kept, writes are retried.", registers: r });
    this.stateWriteFailures = new Counter({ name: "logharbor_ship_state_write_failures_total", help: "Writes to the state directory (buffer, checkpoint) that failed for want of space and were retried.", labelNames: ["what"], registers: r });
    collectDefaultMetrics({ register: this.registry, prefix: "logharbor_ship_process_" });
  }
}
