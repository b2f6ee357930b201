// The agent's configuration from etcd, kept live: reads <prefix>/config, <prefix>/hosts/<host>/config
// and /logentries.com/token, watches them, and hands each valid change to onChange. An invalid change
// is logged with every problem, counted, remembered as lastError — and the last good configuration
// keeps running. etcd unreachable at start: the last good snapshot cached in the state directory is
// used and etcd is retried; with no cache, start() waits for etcd and says why.
import type { Etcd3, Watcher } from "etcd3";
import type { ResolvedShip, ShipConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { loadSnapshot, saveSnapshot, cachePath } from "./cache.js";
import { evaluateSnapshot, sameSnapshot, type BaseLayers, type EtcdSnapshot } from "./evaluate.js";
import type { ClusterKeys } from "./keys.js";
import type { ClusterMetrics } from "./metrics.js";

export interface LiveConfigOptions {
  client: Etcd3;
  keys: ClusterKeys;
  base: BaseLayers;
  /** Where the last good snapshot is cached. */
  stateDir: string;
  log: Logger;
  metrics?: ClusterMetrics;
  /** A new valid configuration (not called for the first one, which start() returns). */
  onChange?: (config: ShipConfig) => void;
  /** First and longest wait between attempts to reach etcd. */
  retryMs?: { min: number; max: number };
}

export type ConfigOrigin = "etcd" | "cache";

const STOP_WAIT_MS = 1000;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

export class LiveConfig {
  current: ShipConfig | undefined;
  origin: ConfigOrigin | undefined;
  /** The newest rejection or etcd failure, cleared when a configuration from etcd is applied. */
  lastError: string | undefined;
  connected = false;
  private applied: EtcdSnapshot | undefined;
  private rejected: EtcdSnapshot | undefined;
  private watchers: Watcher[] = [];
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private firstGood: ((c: ShipConfig) => void) | undefined;
  private readChain: Promise<void> = Promise.resolve();

  constructor(private readonly o: LiveConfigOptions) {}

  /** Resolves with the first good configuration (from etcd, else the cache); waits while there is none. */
  async start(): Promise<ShipConfig> {
    const first = new Promise<ShipConfig>((resolve) => (this.firstGood = resolve));
    await this.watch();
    const ok = await this.refresh("start");
    if (!ok && this.current === undefined) await this.fromCache();
    if (!ok) this.scheduleRetry(this.o.retryMs?.min ?? 500);
    return first;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.firstGood = undefined;
    // A watch stream that is reconnecting may never answer its cancellation: do not wait for ever.
    await Promise.race([Promise.allSettled(this.watchers.map((w) => w.cancel())), delay(STOP_WAIT_MS)]);
    this.watchers = [];
  }

  private async watch(): Promise<void> {
    const { client, keys, log } = this.o;
    for (const key of [keys.config, keys.hostConfig, keys.token]) {
      // watcher() connects in the background (etcd may be down at start) and reconnects by itself.
      const w = client.watch().key(key).watcher();
      w.on("put", () => void this.refresh("change"));
      w.on("delete", () => void this.refresh("change"));
      // After a reconnection: read again, so changes made meanwhile are not missed.
      w.on("connected", () => void this.refresh("reconnect"));
      w.on("disconnected", () => this.setConnected(false));
      w.on("error", (e: Error) => log.debug({ key, err: e.message }, "etcd watch error; reconnecting"));
      this.watchers.push(w);
    }
  }

  private setConnected(up: boolean): void {
    this.connected = up;
    this.o.metrics?.connected.set(up ? 1 : 0);
  }

  /** Reads the keys and applies what they hold; false when etcd did not answer. Serialized. */
  refresh(why: string): Promise<boolean> {
    const run = this.readChain.then(() => this.refreshNow(why));
    this.readChain = run.then(() => undefined, () => undefined);
    return run;
  }

  private async refreshNow(why: string): Promise<boolean> {
    if (this.stopped) return false;
    let s: EtcdSnapshot;
    try {
      s = await readSnapshot(this.o.client, this.o.keys);
    } catch (e) {
      const was = this.connected;
      this.setConnected(false);
      const msg = `etcd unreachable: ${(e as Error).message.split("\n")[0]}`;
      if (was || why === "start") {
        this.o.log.warn({ err: msg }, this.current ? "etcd does not answer; the running configuration stays, retrying" : "etcd does not answer; retrying");
      }
      return false;
    }
    if (!this.connected) this.o.log.info({ why }, "etcd answers");
    this.setConnected(true);
    if (sameSnapshot(s, this.applied) && this.origin === "etcd") return true;
    // Already rejected (another key's event, a reconnection): reported and counted once.
    if (sameSnapshot(s, this.rejected)) return true;
    await this.apply(s, "etcd");
    return true;
  }

  private async fromCache(): Promise<void> {
    const s = await loadSnapshot(this.o.stateDir);
    if (typeof s === "string") {
      this.o.log.warn({ err: s }, "the cached etcd configuration is unreadable");
      return;
    }
    if (s === undefined) {
      this.o.log.error({ cache: cachePath(this.o.stateDir) }, "waiting for etcd: it does not answer and no configuration from an earlier run is cached in the state directory");
      return;
    }
    await this.apply(s, "cache");
  }

  private async apply(s: EtcdSnapshot, from: ConfigOrigin): Promise<void> {
    const r = await evaluateSnapshot(s, this.o.base, this.o.keys);
    if (r.config === undefined) {
      if (from === "etcd") this.rejected = s;
      this.o.metrics?.rejected.inc();
      this.lastError = r.problems.join("; ");
      this.o.log.error(
        { from, problems: r.problems },
        this.current ? "rejected the configuration from etcd; still running the last good one" : "rejected the configuration from etcd; waiting for a valid one",
      );
      if (from === "etcd" && this.current === undefined) await this.fromCacheOnce();
      return;
    }
    for (const w of r.warnings) this.o.log.warn({ from }, w);
    this.applied = s;
    this.origin = from;
    if (from === "etcd") {
      this.lastError = undefined;
      await saveSnapshot(this.o.stateDir, s).catch((e: Error) => this.o.log.warn({ err: e.message }, "could not cache the etcd configuration in the state directory"));
    }
    this.o.metrics?.applied.inc({ from });
    const first = this.current === undefined;
    this.current = r.config;
    this.o.log.info({ from }, first ? `configuration from ${from === "etcd" ? "etcd" : "the cache of the last good etcd configuration"}` : "applied a new configuration from etcd");
    if (first) {
      this.firstGood?.(r.config);
      this.firstGood = undefined;
    } else {
      this.o.onChange?.(r.config);
    }
  }

  /**
   * The configuration the last good etcd snapshot (or cache) gives with other base layers (a new
   * --config file), without applying it; undefined before any snapshot was applied.
   */
  async evaluateWith(base: BaseLayers): Promise<ResolvedShip | undefined> {
    if (this.applied === undefined) return undefined;
    return evaluateSnapshot(this.applied, base, this.o.keys);
  }

  /** Takes new base layers and the configuration they give (from evaluateWith), and applies it. */
  rebase(base: BaseLayers, config: ShipConfig): void {
    this.o.base = base;
    // An etcd snapshot rejected with the old layers may be valid with the new ones: read it again.
    this.rejected = undefined;
    this.current = config;
    this.o.onChange?.(config);
    void this.refresh("the base configuration changed");
  }

  private triedCache = false;
  private async fromCacheOnce(): Promise<void> {
    if (this.triedCache) return;
    this.triedCache = true;
    await this.fromCache();
  }

  private scheduleRetry(ms: number): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(async () => {
      if (await this.refresh("retry")) return;
      this.scheduleRetry(Math.min(ms * 2, this.o.retryMs?.max ?? 10_000));
    }, ms);
    this.retryTimer.unref();
  }
}

/** The three keys, read in one transaction-free pass (each key is one value; order does not matter). */
export async function readSnapshot(client: Etcd3, keys: ClusterKeys): Promise<EtcdSnapshot> {
  const [cluster, host, token] = await Promise.all([client.get(keys.config).string(), client.get(keys.hostConfig).string(), client.get(keys.token).string()]);
  return { cluster: cluster ?? undefined, host: host ?? undefined, token: token ?? undefined };
}
