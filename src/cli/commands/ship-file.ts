// `logharbor ship --config FILE` (without --etcd): the settings of the flags, the environment and the
// file, validated before anything starts (every problem at once, exit 2); --check prints them. The
// agent runs under LiveShip, so SIGHUP (and --config-watch) reads the file again and a valid change
// swaps the pipeline at a batch boundary; an invalid one is reported and the running one stays.
import type { Command } from "commander";
import { LogharborError } from "../../core/errors.js";
import { LiveShip } from "../../agent/cluster/live-ship.js";
import { describeShipConfig, type ShipConfig, type ShipFlags } from "../../agent/config.js";
import { readConfigFile, resolveWithFile } from "../../agent/config-file.js";
import { ConfigReload } from "../../agent/config-reload.js";
import { createLogger } from "../../agent/logger.js";
import { onStopSignals } from "../../agent/stop-signals.js";
import { summaryLine } from "../../agent/run.js";
import { explicitFlags } from "../../agent/settings.js";

export interface ConfigFlags {
  config?: string;
  configWatch?: boolean;
}

export async function shipWithFile(cmd: Command, all: ShipFlags & ConfigFlags & { check?: boolean }): Promise<never> {
  const out = (line: string): boolean => process.stderr.write(`logharbor ship: ${line}\n`);
  const path = all.config!;
  const flags = explicitFlags(cmd, all as Record<string, unknown>);
  const file = await readConfigFile(path);
  const first = await resolveWithFile(flags, process.env, file);
  for (const w of first.warnings) out(`warning: ${w}`);
  if (first.config === undefined) {
    for (const p of first.problems) out(p);
    out(`${first.problems.length} problem${first.problems.length === 1 ? "" : "s"} in the settings (flags > environment > ${path}); nothing was started`);
    process.exit(2);
  }
  if (all.check) {
    process.stdout.write(JSON.stringify({ ...describeShipConfig(first.config), config: path }, null, 2) + "\n");
    process.exit(0);
  }
  const log = createLogger(first.config.logLevel);
  const began = process.hrtime.bigint();
  let current: ShipConfig = first.config;
  let ship: LiveShip | undefined;
  const reload = new ConfigReload({
    path,
    log,
    current: () => current,
    resolve: (f) => resolveWithFile(flags, process.env, f),
    apply: ({ config }) => {
      current = config;
      ship?.apply(config);
    },
  });
  ship = await LiveShip.start({ first: first.config, log, ...(process.stderr.isTTY ? { tty: process.stderr } : {}), onRun: (run) => reload.register(run.metrics.registry) });
  const live = ship;
  log.info({ config: path }, `settings from ${path}; send SIGHUP to read it again${all.configWatch ? " (also read again when it changes)" : ""}`);
  process.on("SIGHUP", () => void reload.reload("SIGHUP"));
  if (all.configWatch) reload.watch();
  onStopSignals(log, () => {
    reload.stop();
    void live.stop();
  });
  const seconds = (): number => Number(process.hrtime.bigint() - began) / 1e9;
  try {
    const stats = await live.done;
    process.stdout.write(summaryLine(stats, seconds()) + "\n");
    log.info({ ...stats, reloads: reload.counts }, "stopped");
    process.exit(0);
  } catch (e) {
    process.stdout.write(summaryLine(live.stats(), seconds()) + "\n");
    if (e instanceof LogharborError) log.error({ code: e.code }, e.message);
    throw e;
  }
}
