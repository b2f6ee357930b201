// logharbor ship: follow the systemd journal and forward every entry to a destination, moving the
// checkpoint only after the destination acknowledged. See DESIGN.md for the stable flags.
import { Command, Option } from "commander";
import { LogharborError } from "../../core/errors.js";
import { describeShipConfig, resolveShipConfig, type ShipFlags } from "../../agent/config.js";
import { createLogger } from "../../agent/logger.js";
import { startShip, summaryLine } from "../../agent/run.js";
import { defaultStateDir } from "../../agent/config.js";
import { formatShipStatus, readShipStatus } from "../../agent/status.js";
import { addEtcdOptions, wantsEtcd, type EtcdFlags } from "../../agent/cluster/options.js";

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function registerShip(program: Command): void {
  addEtcdOptions(program.command("ship"), { required: false })
    .description("Ship the systemd journal to a destination, exactly once in effect (checkpoint after acknowledgement).")
    .option("--journal <spec>", "gatewayd:/run/journald.sock | gatewayd:http://host:19531 | journalctl (default: the gatewayd socket if it exists, else journalctl)")
    .option("--journal-dir <dir>", "journalctl: read the journal files in this directory")
    .option("--journal-file <file>", "journalctl: read this journal file (repeatable)", collect)
    .option("--journal-namespace <ns>", "journalctl: read this journal namespace")
    .option("--journal-merge", "journalctl: read all journals, local and remote, merged")
    .option("--to <url>", "destination: http(s)://server:8080, logentries+tls|tcp://host:port, syslog+tcp|tls|udp://host:port[?format=rfc3164] (repeatable; one supported for now). Without --to: LOGENTRIES_TOKEN [LOGENTRIES_URL, LOGENTRIES_JOURNAL_SOCKET], as journal-2-logentries", collect)
    .option("--token <token>", "ingest token for http(s) destinations (or LOGHARBOR_TOKEN, or ?token= in the URL); the default token for logentries destinations (or LOGENTRIES_TOKEN)")
    .option("--token-map <key:value=token>", "logentries: the token for entries whose unit, identifier or container is VALUE, e.g. unit:nginx.service=TOKEN (repeatable; first match wins, else --token)", collect)
    .option("--logentries-format <format>", "logentries: message (MESSAGE alone; default) | json (selected journal fields) | short (journalctl -o short)")
    .option("--logentries-fields <names>", "logentries json: the journal fields, comma-separated (default MESSAGE,PRIORITY,_HOSTNAME,_SYSTEMD_UNIT,SYSLOG_IDENTIFIER,_PID,CONTAINER_NAME,__REALTIME_TIMESTAMP)")
    .option("--ca-file <file>", "TLS destinations: trust only the CA certificates in this PEM file (default: the system's CAs)")
    .option("--state <dir>", "directory for the checkpoint (or LOGHARBOR_STATE; default /var/lib/logharbor as root, else ./state)")
    .option("--start-at <where>", "without a checkpoint: boot | oldest | now | TIME (ISO-8601, -1h, ...)", "boot")
    .option("--batch-max-entries <n>", "entries per batch at most", "2000")
    .option("--batch-max-bytes <n>", "bytes per batch at most (uncompressed)", String(4 * 1024 * 1024))
    .option("--batch-max-ms <ms>", "send a batch at most this long after its first entry", "500")
    .option("--max-in-flight <n>", "batches sent and not yet acknowledged at most", "3")
    .option("--exit-when-idle", "do not follow: exit 0 once the journal is exhausted and everything is acknowledged")
    .option("--buffer-max-bytes <n>", "disk buffer per destination, bytes at most (STATE/buffer/)", String(256 * 1024 * 1024))
    .addOption(new Option("--buffer-when-full <what>", "when the disk buffer is full: block (pause reading; the journal keeps the backlog) or drop_newest (counted)").default("block"))
    .option("--metrics <host:port>", "serve Prometheus /metrics and /healthz there (off by default)")
    .option("--status", "print what the state directory holds (checkpoint, buffers, dead letters, gaps) and exit")
    .option("--json", "with --status: print it as JSON")
    .addOption(new Option("--log-level <level>", "our own logs (JSON on stderr)").default("info"))
    .option("--hostname <name>", "with --etcd: this host's name in etcd (<prefix>/hosts/NAME/config, <prefix>/agents/NAME; default: the system's)")
    .option("--check", "validate the settings, print them (token masked) and exit: 0 if valid, 2 otherwise")
    .action(async (flags: ShipFlags & EtcdFlags & { hostname?: string; check?: boolean; status?: boolean; json?: boolean }, cmd: Command) => {
      if (flags.status) {
        const st = await readShipStatus(flags.state ?? defaultStateDir());
        process.stdout.write(flags.json ? JSON.stringify(st, null, 2) + "\n" : formatShipStatus(st));
        process.exit(0);
      }
      // --etcd: the settings come from etcd (merged under the flags and the environment), watched live.
      if (wantsEtcd(flags)) {
        // The etcd client (gRPC) is loaded only when it is used.
        const { shipWithEtcd } = await import("../../agent/cluster/ship-command.js");
        return shipWithEtcd(cmd, flags);
      }
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
      const run = await startShip(config, log, process.stderr.isTTY ? { tty: process.stderr } : {});
      let signals = 0;
      const onSignal = (sig: NodeJS.Signals): void => {
        signals++;
        if (signals > 1) {
          log.warn({ signal: sig }, "second signal: exiting at once; unacknowledged entries will be read again");
          process.exit(1);
        }
        log.info({ signal: sig }, "stopping: no more reading; what was read is in the disk buffer, sending it for 5 s at most");
        run.pipeline.stop();
      };
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
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
