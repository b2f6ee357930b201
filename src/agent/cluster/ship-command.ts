// `logharbor ship --etcd URL ...`: the command-line side of ship-etcd.ts — which flags were really
// given (they beat etcd; commander's defaults do not), --check, signals, the summary line.
import type { Command } from "commander";
import { hostname as osHostname } from "node:os";
import { defaultStateDir, describeShipConfig, type ShipFlags } from "../config.js";
import { readConfigFile } from "../config-file.js";
import { ConfigReload } from "../config-reload.js";
import { explicitFlags } from "../settings.js";
import type { BaseLayers } from "./evaluate.js";
import { createLogger } from "../logger.js";
import { onStopSignals } from "../stop-signals.js";
import { summaryLine } from "../run.js";
import { createEtcdClient } from "./client.js";
import { clusterKeys, hostnameProblem } from "./keys.js";
import { LiveConfig } from "./live-config.js";
import { etcdSettings, type EtcdFlags } from "./options.js";
import { startEtcdShip } from "./ship-etcd.js";

export async function shipWithEtcd(cmd: Command, all: ShipFlags & EtcdFlags & { hostname?: string; check?: boolean; config?: string; configWatch?: boolean }): Promise<never> {
  const out = (line: string): boolean => process.stderr.write(`logharbor ship: ${line}\n`);
  const { settings, problems } = etcdSettings(all, process.env, { required: false });
  const host = all.hostname ?? osHostname();
  const hp = hostnameProblem(host);
  if (hp !== undefined) problems.push(hp);
  if (settings === undefined || problems.length > 0) {
    for (const p of problems) out(p);
    process.exit(2);
  }
  const flags = explicitFlags(cmd, all as Record<string, unknown>);
  // --config FILE: the lowest layer, below the etcd keys; its own problems stop the agent before it starts.
  let base: BaseLayers = { flags, env: process.env };
  if (all.config !== undefined) {
    const file = await readConfigFile(all.config);
    if (file.problems.length > 0) {
      for (const p of file.problems) out(p);
      out(`${file.problems.length} problem${file.problems.length === 1 ? "" : "s"} in ${all.config}; nothing was started`);
      process.exit(2);
    }
    base = { ...base, file: file.flags, fileSource: all.config };
  }
  const stateDir = flags.state ?? (process.env["LOGHARBOR_STATE"] || defaultStateDir());
  const log = createLogger(flags.logLevel ?? "info");
  if (all.check) {
    // Read etcd once (or the cache), print the merged, validated settings with secrets masked.
    const client = createEtcdClient(settings.connection);
    const live = new LiveConfig({ client, keys: clusterKeys(settings.prefix, host), base, stateDir, log: createLogger("warn") });
    const timer = setTimeout(() => {
      out(`etcd did not answer and no valid configuration is cached${live.lastError ? `: ${live.lastError}` : ""}`);
      process.exit(2);
    }, 10_000);
    const config = await live.start();
    clearTimeout(timer);
    await live.stop();
    client.close();
    if (live.lastError) out(`warning: ${live.lastError}`);
    process.stdout.write(JSON.stringify({ ...describeShipConfig(config), etcd: settings.connection.hosts, etcd_prefix: settings.prefix, hostname: host, from: live.origin, ...(all.config !== undefined ? { config: all.config } : {}) }, null, 2) + "\n");
    process.exit(0);
  }
  const began = process.hrtime.bigint();
  const agent = await startEtcdShip({ etcd: settings, hostname: host, base, stateDir, log, ...(process.stderr.isTTY ? { tty: process.stderr } : {}) });
  const path = all.config;
  const reload =
    path === undefined
      ? undefined
      : new ConfigReload({
          path,
          log,
          current: () => agent.live.current,
          resolve: async (file) => {
            if (file.problems.length > 0) return { config: undefined, problems: file.problems, warnings: [] };
            const r = await agent.live.evaluateWith({ ...base, file: file.flags });
            return r ?? { config: undefined, problems: ["no configuration from etcd has been applied yet"], warnings: [] };
          },
          apply: ({ config }, file) => {
            base = { ...base, file: file.flags };
            agent.live.rebase(base, config);
          },
        });
  if (reload !== undefined) {
    reload.register(agent.ship.run.metrics.registry);
    agent.onRun((run) => reload.register(run.metrics.registry));
    process.on("SIGHUP", () => void reload.reload("SIGHUP"));
    if (all.configWatch) reload.watch();
  } else {
    // A reload (systemctl reload) reads etcd's keys again rather than killing the agent.
    process.on("SIGHUP", () => void agent.live.refresh("SIGHUP"));
  }
  onStopSignals(log, () => {
    reload?.stop();
    void agent.stop();
  });
  const seconds = (): number => Number(process.hrtime.bigint() - began) / 1e9;
  try {
    await agent.done;
    process.stdout.write(summaryLine(agent.ship.stats(), seconds()) + "\n");
    process.exit(0);
  } catch (e) {
    process.stdout.write(summaryLine(agent.ship.stats(), seconds()) + "\n");
    throw e;
  }
}
