// Live reload of `--config FILE` (SIGHUP, and with --config-watch when the file changes): the file
// is read again and the whole configuration resolved again; a valid result is handed to the running
// agent (LiveShip swaps its pipeline at a batch boundary, as for an etcd change), an invalid one is
// logged with every problem and counted, and the last good configuration keeps running.
import { watchFile, unwatchFile, type Stats } from "node:fs";
import { Counter, type Registry } from "prom-client";
import type { ResolvedShip, ShipConfig } from "./config.js";
import { readConfigFile, type ConfigFile } from "./config-file.js";
import type { Logger } from "./logger.js";

export interface ConfigReloadOptions {
  path: string;
  log: Logger;
  /** Resolves the configuration with this version of the file (flags, environment, etcd, ...). */
  resolve: (file: ConfigFile) => Promise<ResolvedShip>;
  /** A new valid configuration. */
  apply: (r: ResolvedShip & { config: NonNullable<ResolvedShip["config"]> }, file: ConfigFile) => void | Promise<void>;
  /** The configuration running now (a reload that resolves to the same one changes nothing). */
  current: () => ShipConfig | undefined;
  /** How often the file is looked at with watch() (default 1000 ms). */
  watchIntervalMs?: number;
}

export type ReloadResult = "applied" | "rejected" | "unchanged";

export class ConfigReload {
  /** The newest problem with the file (cleared by a valid reload). */
  lastError: string | undefined;
  readonly counts = { applied: 0, rejected: 0 };
  private chain: Promise<unknown> = Promise.resolve();
  private metric: Counter<string> | undefined;
  private watching = false;

  constructor(private readonly o: ConfigReloadOptions) {}

  /** Counts reloads in the agent's registry: logharbor_ship_config_reloads_total{result}. */
  register(registry: Registry): void {
    this.metric ??= new Counter({ name: "logharbor_ship_config_reloads_total", help: "Reloads of the --config file, by result (applied, rejected).", labelNames: ["result"], registers: [] });
    if (registry.getSingleMetric("logharbor_ship_config_reloads_total") === undefined) registry.registerMetric(this.metric);
  }

  /** Reads the file again and applies it if valid (serialized: one reload at a time). */
  reload(why: string): Promise<ReloadResult> {
    const run = this.chain.then(() => this.reloadNow(why));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(why: string): Promise<ReloadResult> {
    const { log, path } = this.o;
    const file = await readConfigFile(path);
    const r = await this.o.resolve(file);
    if (r.config === undefined) {
      this.counts.rejected++;
      this.metric?.inc({ result: "rejected" });
      this.lastError = r.problems.join("; ");
      log.error({ config: path, why, problems: r.problems }, "rejected the new configuration file; still running the last good one");
      return "rejected";
    }
    for (const w of r.warnings) log.warn({ config: path }, w);
    this.lastError = undefined;
    if (JSON.stringify(r.config) === JSON.stringify(this.o.current())) {
      log.info({ config: path, why }, "configuration file read again: nothing changed");
      return "unchanged";
    }
    this.counts.applied++;
    this.metric?.inc({ result: "applied" });
    log.info({ config: path, why }, "configuration file read again; applying it");
    await this.o.apply(r as ResolvedShip & { config: NonNullable<ResolvedShip["config"]> }, file);
    return "applied";
  }

  /** Reloads when the file's size, time or inode changes (polled, so an editor's rename is seen too). */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    watchFile(this.o.path, { interval: this.o.watchIntervalMs ?? 1000, persistent: false }, (cur: Stats, prev: Stats) => {
      if (cur.mtimeMs === prev.mtimeMs && cur.size === prev.size && cur.ino === prev.ino) return;
      void this.reload("the file changed");
    });
  }

  stop(): void {
    if (this.watching) unwatchFile(this.o.path);
    this.watching = false;
  }
}
