// logharbor ship: follow the systemd journal and forward every entry to a destination, moving the
// checkpoint only after the destination acknowledged. Its flags are documented in docs/configuration.md.
import { Command } from "commander";
import { existsSync } from "node:fs";
import { LogharborError } from "../../core/errors.js";
import { describeShipConfig, resolveShipConfig, type ShipFlags } from "../../agent/config.js";
import { createLogger } from "../../agent/logger.js";
import { onStopSignals } from "../../agent/stop-signals.js";
import { startShip, summaryLine } from "../../agent/run.js";
import { defaultStateDir } from "../../agent/config.js";
import { formatShipStatus, readShipStatus } from "../../agent/status.js";
import { addEtcdOptions, wantsEtcd, type EtcdFlags } from "../../agent/cluster/options.js";
import { SETTING_KEYS, setting } from "../../agent/settings.js";
import { shipWithFile, type ConfigFlags } from "./ship-file.js";

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function registerShip(program: Command): void {
  const cmd = addEtcdOptions(program.command("ship"), { required: false })
    .description("Ship the systemd journal to a destination, exactly once in effect (checkpoint after acknowledgement).")
    .option("--config <file>", "read the settings from this YAML or JSON file (the keys of docs/configuration.md, transforms included); flags and the environment beat it; SIGHUP reads it again")
    .option("--config-watch", "with --config: also read the file again whenever it changes");
  // Every setting's option comes from the one table of settings (src/agent/settings.ts).
  for (const key of SETTING_KEYS) {
    const s = setting(key);
    if (s.flag === undefined) continue;
    if (s.kind === "strings") cmd.option(s.flag, s.help, collect);
    else if (s.shownDefault !== undefined) cmd.option(s.flag, s.help, s.shownDefault);
    else cmd.option(s.flag, s.help);
  }
  cmd
    .option("--status", "print what the state directory holds (checkpoint, buffers, dead letters, gaps) and exit")
    .option("--json", "with --status: print it as JSON")
    .option("--hostname <name>", "this host's name in the agent's report to the server and, with --etcd, in etcd (<prefix>/hosts/NAME/config, <prefix>/agents/NAME; default: the system's)")
    .option("--check", "validate the settings, print them (token masked) and exit: 0 if valid, 2 otherwise")
    .action(async (flags: ShipFlags & EtcdFlags & ConfigFlags & { hostname?: string; check?: boolean; status?: boolean; json?: boolean }, cmd: Command) => {
      if (flags.status) {
        const stateDir = flags.state ?? defaultStateDir();
        // A state directory that is not there is a mistake (a typo, another host's path), not "no checkpoint yet".
        if (!existsSync(stateDir)) {
          throw new LogharborError("LH_ERR_STATE", `--state ${stateDir}: no such directory; give the agent's --state (default ${defaultStateDir()})`);
        }
        const st = await readShipStatus(stateDir);
        process.stdout.write(flags.json ? JSON.stringify(st, null, 2) + "\n" : formatShipStatus(st));
        process.exit(0);
      }
      // --etcd: the settings come from etcd (merged under the flags and the environment), watched live.
      if (wantsEtcd(flags)) {
        // The etcd client (gRPC) is loaded only when it is used.
        const { shipWithEtcd } = await import("../../agent/cluster/ship-command.js");
        return shipWithEtcd(cmd, flags);
      }
      // --config FILE: the file below the flags and the environment, read again on SIGHUP.
      if (flags.config !== undefined) return shipWithFile(cmd, flags);
      const { config, problems, warnings } = await resolveShipConfig(flags);
      for (const w of warnings) process.stderr.write(`logharbor ship: warning: ${w}\n`);
      if (config === undefined) {
        for (const p of problems) process.stderr.write(`logharbor ship: ${p}\n`);
        process.exit(2);
      }
      if (flags.check) {
        process.stdout.write(JSON.stringify(describeShipConfig(config), null, 2) + "\n");
        process.exit(0);
      }
      const log = createLogger(config.logLevel);
      const began = process.hrtime.bigint();
      const run = await startShip(config, log, { ...(process.stderr.isTTY ? { tty: process.stderr } : {}), ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}) });
      onStopSignals(log, () => run.pipeline.stop());
      // A reload (systemctl reload) must not kill an agent that has no file to read again.
      process.on("SIGHUP", () => log.info({}, "SIGHUP: no --config file to read again; nothing changed"));
      const seconds = () => Number(process.hrtime.bigint() - began) / 1e9;
      try {
        const stats = await run.done;
        process.stdout.write(summaryLine(stats, seconds()) + "\n");
        log.info({ ...stats }, "stopped");
        process.exit(0);
      } catch (e) {
        process.stdout.write(summaryLine(run.pipeline.stats, seconds()) + "\n");
        if (e instanceof LogharborError) log.error({ code: e.code }, e.message);
        throw e;
      }
    });
}
