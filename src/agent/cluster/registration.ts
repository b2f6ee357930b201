// The agent reports in: <prefix>/agents/<hostname> = JSON {hostname, version, lag_seconds, last_error,
// ...}, bound to a lease. The lease is kept alive while the agent runs; when the agent dies the key
// disappears after the lease's TTL. The same report is also written without a lease
// (<prefix>/agents-seen/<hostname>), so `logharbor cluster status` lists a dead agent as silent —
// since its last report — instead of forgetting it; a clean stop marks it stopped.
import type { Etcd3, Lease } from "etcd3";
import type { Logger } from "../logger.js";

export interface AgentReport {
  hostname: string;
  version: string;
  pid: number;
  /** Journal time between the newest entry and the newest acknowledged one; null when unknown. */
  lag_seconds: number | null;
  /** The newest error: a delivery that had to be retried, a rejected configuration, an etcd failure; null when there is none. */
  last_error: string | null;
  last_error_at?: string | null;
  /** Bytes in the disk buffers not acknowledged yet. */
  buffer_bytes?: number;
  /** Set in the agents-seen copy when the agent stopped cleanly. */
  stopped_at?: string;
  /** Where the running configuration came from. */
  config: "etcd" | "cache" | null;
  started_at: string;
  updated_at: string;
}

export const DEFAULT_LEASE_TTL_SECONDS = 10;
const WRITE_DEADLINE_MS = 3000;

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`etcd did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export interface RegistrationOptions {
  client: Etcd3;
  key: string;
  /** The lease-less copy of the report (agents-seen). */
  seenKey?: string;
  ttlSeconds?: number;
  /** How often the report is rewritten (default: a third of the TTL). */
  updateMs?: number;
  report: () => Omit<AgentReport, "updated_at"> | Promise<Omit<AgentReport, "updated_at">>;
  log: Logger;
}

export class AgentRegistration {
  private lease: Lease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private writing: Promise<void> = Promise.resolve();
  private lastValue: string | undefined;

  constructor(private readonly o: RegistrationOptions) {}

  /** Starts reporting; never throws (etcd down: it keeps trying on each update). */
  start(): Promise<void> {
    const ttl = this.o.ttlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
    const every = this.o.updateMs ?? Math.max(500, (ttl * 1000) / 3);
    this.timer = setInterval(() => void this.update(), every);
    this.timer.unref();
    return this.update();
  }

  /** Writes the report now (after the pending write). */
  update(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    if (this.stopped) return;
    try {
      const value = JSON.stringify({ ...(await this.o.report()), updated_at: new Date().toISOString() });
      if (this.lease === undefined) this.lease = this.newLease();
      // A lease grant made while etcd was away can wait for ever: bound each write.
      await withDeadline(this.lease.put(this.o.key).value(value).exec(), WRITE_DEADLINE_MS);
      this.lastValue = value;
      if (this.o.seenKey !== undefined) await withDeadline(this.o.client.put(this.o.seenKey).value(value).exec(), WRITE_DEADLINE_MS);
    } catch (e) {
      this.o.log.debug({ key: this.o.key, err: (e as Error).message }, "could not report to etcd; trying again");
      this.dropLease();
    }
  }

  private newLease(): Lease {
    const lease = this.o.client.lease(this.o.ttlSeconds ?? DEFAULT_LEASE_TTL_SECONDS);
    // Lost (etcd away longer than the TTL, or the key's lease revoked): the next update registers again.
    lease.on("lost", (e: Error) => {
      if (this.lease !== lease) return;
      this.o.log.warn({ err: e.message }, "lost the etcd lease of this agent's report; registering again at the next update");
      this.dropLease();
    });
    return lease;
  }

  private dropLease(): void {
    const l = this.lease;
    this.lease = undefined;
    if (l !== undefined) {
      l.removeAllListeners("lost");
      l.on("lost", () => undefined);
      void l.release();
    }
  }

  /** Stops reporting and removes the key at once (revokes the lease). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await withDeadline(this.writing, WRITE_DEADLINE_MS).catch(() => undefined);
    if (this.o.seenKey !== undefined && this.lastValue !== undefined) {
      const stopped = JSON.stringify({ ...(JSON.parse(this.lastValue) as object), stopped_at: new Date().toISOString() });
      await withDeadline(this.o.client.put(this.o.seenKey).value(stopped).exec(), WRITE_DEADLINE_MS).catch(() => undefined);
    }
    const l = this.lease;
    this.lease = undefined;
    if (l !== undefined) {
      // Revoked: the key goes at once. If etcd does not answer, the lease expires by itself.
      await Promise.race([l.revoke().catch(() => l.release()), new Promise<void>((r) => setTimeout(r, 2000).unref())]);
      l.release();
    }
  }
}
