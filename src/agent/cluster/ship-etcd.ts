// The agent with its configuration in etcd: LiveConfig (read, watch, validate, cache) → LiveShip (run,
// swap at a batch boundary) + AgentRegistration (<prefix>/agents/<hostname>, with lag and last error).
import { hostname as osHostname } from "node:os";
import type { Etcd3 } from "etcd3";
import { VERSION } from "../../core/version.js";
import type { ShipConfig } from "../config.js";
import type { Logger } from "../logger.js";
import type { ShipRun } from "../run.js";
import { createEtcdClient } from "./client.js";
import type { BaseLayers } from "./evaluate.js";
import { clusterKeys } from "./keys.js";
import { LiveConfig } from "./live-config.js";
import { LiveShip } from "./live-ship.js";
import { ClusterMetrics } from "./metrics.js";
import type { EtcdSettings } from "./options.js";
import { AgentRegistration } from "./registration.js";

export interface EtcdShipOptions {
  etcd: EtcdSettings;
  hostname?: string;
  base: BaseLayers;
  /** Where the last good etcd configuration is cached (the state directory). */
  stateDir: string;
  log: Logger;
  tty?: NodeJS.WriteStream;
  leaseTtlSeconds?: number;
  retryMs?: { min: number; max: number };
  start?: (c: ShipConfig) => Promise<ShipRun>;
}

export interface EtcdShip {
  hostname: string;
  live: LiveConfig;
  ship: LiveShip;
  registration: AgentRegistration;
  /** Stops shipping (draining until the deadline), unregisters, closes etcd. */
  stop(): Promise<void>;
  /** Resolves when shipping ended (after stop(), or a run that ends by itself). */
  done: Promise<unknown>;
  /** Called with each later run (after a swap), e.g. to register more metrics in its registry. */
  onRun(f: (run: ShipRun) => void): void;
}

export async function startEtcdShip(o: EtcdShipOptions): Promise<EtcdShip> {
  const host = o.hostname ?? osHostname();
  const keys = clusterKeys(o.etcd.prefix, host);
  const client: Etcd3 = createEtcdClient(o.etcd.connection);
  const metrics = new ClusterMetrics();
  let ship: LiveShip | undefined;
  const runHooks: ((run: ShipRun) => void)[] = [];
  const live = new LiveConfig({
    client,
    keys,
    base: o.base,
    stateDir: o.stateDir,
    log: o.log,
    metrics,
    ...(o.retryMs ? { retryMs: o.retryMs } : {}),
    onChange: (c) => {
      ship?.apply(c);
      void registration.update();
    },
  });
  const startedAt = new Date().toISOString();
  const registration = new AgentRegistration({
    client,
    key: keys.agent,
    seenKey: keys.agentSeen,
    ...(o.leaseTtlSeconds !== undefined ? { ttlSeconds: o.leaseTtlSeconds } : {}),
    log: o.log,
    report: async () => {
      const run = ship?.run;
      const lag = run?.metrics.lag ?? null;
      const delivery = run?.lastDeliveryError();
      return {
        hostname: host,
        version: VERSION,
        pid: process.pid,
        lag_seconds: lag,
        last_error: live.lastError ?? delivery?.message ?? null,
        last_error_at: live.lastError !== undefined ? null : (delivery?.at ?? null),
        buffer_bytes: run ? run.pipeline.lanes.reduce((n, l) => n + l.buffer.bytes, 0) : 0,
        config: live.origin ?? null,
        started_at: startedAt,
      };
    },
  });
  await registration.start();
  let first: ShipConfig;
  try {
    first = await live.start();
  } catch (e) {
    await registration.stop();
    client.close();
    throw e;
  }
  ship = await LiveShip.start({
    first,
    log: o.log,
    hostname: host,
    ...(o.tty ? { tty: o.tty } : {}),
    ...(o.start ? { start: o.start } : {}),
    // Each run's registry carries the cluster metrics too (one /metrics).
    onRun: (run) => {
      for (const m of [metrics.applied, metrics.rejected, metrics.connected]) run.metrics.registry.registerMetric(m);
      for (const f of runHooks) f(run);
    },
  });
  await registration.update();
  const s = ship;
  const done = s.done.finally(async () => {
    await live.stop();
    await registration.stop();
    client.close();
  });
  return {
    hostname: host,
    live,
    ship: s,
    registration,
    done,
    onRun: (f) => void runHooks.push(f),
    async stop() {
      await s.stop();
      await done.catch(() => undefined);
    },
  };
}
