// logharbor up: the quick start. Starts the server with its embedded store and ships this host's
// journal to it — or, where this host has no journal to read (containers, CI), a generated demo
// journal of a small cluster, made into real journal files.
import type { Command } from "commander";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LogharborError } from "../../core/errors.js";
import { DEFAULT_SERVER } from "../client.js";

const GATEWAYD_SOCKET = "/run/journald.sock";

interface UpOpts {
  data: string;
  http: string;
  tcp: string;
  demo?: boolean;
  demoEntries: string;
  demoRate: string;
}

/** What `up` ships: this host's journal when it can be read and is not empty, else the demo. */
function hostJournal(): { spec: string[]; what: string } | undefined {
  if (existsSync(GATEWAYD_SOCKET)) return { spec: ["--journal", `gatewayd:${GATEWAYD_SOCKET}`], what: `this host's journal (gatewayd at ${GATEWAYD_SOCKET})` };
  const r = spawnSync("journalctl", ["-q", "--no-pager", "-n", "1", "-o", "export"], { encoding: "utf8", timeout: 10000 });
  if (r.status === 0 && r.stdout.includes("__CURSOR=")) return { spec: ["--journal", "journalctl"], what: "this host's journal (journalctl)" };
  return undefined;
}

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("quick start: serve on 127.0.0.1:8080 with data in ./data, and ship this host's journal to it")
    .option("--data <dir>", "data directory", "data")
    .option("--http <host:port>", "HTTP address", "127.0.0.1:8080")
    .option("--demo", "ship the generated demo journal even if this host has a journal")
    .option("--demo-entries <n>", "entries in the demo journal", "20000")
    .option("--demo-rate <n>", "with the demo: new entries written every second, so live tail shows some (0: none)", "3")
    .option("--tcp <host:port|off>", "token TCP listener (Logentries line protocol: echo \"TOKEN hello\" | nc 127.0.0.1 10000)", "127.0.0.1:10000")
    .action(async (opts: UpOpts, cmd: Command) => {
      const dataDir = resolve(opts.data);
      mkdirSync(dataDir, { recursive: true });
      // The server's own logs go to a file, so that this terminal stays readable.
      const logFile = join(dataDir, "serve.log");
      // Loaded here, not at the top: the other commands (ship, query...) start faster without the server.
      const [{ startServer }, { createLogger }, { writeDemoJournal }, { startLiveWriter }, { ingestOptions }] = await Promise.all([
        import("../../server/server.js"),
        import("../../server/logger.js"),
        import("../../demo/journal-files.js"),
        import("../../demo/live-writer.js"),
        import("./serve-ingest.js"),
      ]);
      const rate = Number(opts.demoRate);
      if (!/^\d{1,4}$/.test(opts.demoRate)) throw new LogharborError("LH_ERR_USAGE", `--demo-rate: expected entries per second from 0 to 9999, got "${opts.demoRate}"`);
      const server = await startServer({
        dataDir, http: opts.http, logger: createLogger({ destination: createWriteStream(logFile, { flags: "a" }) }),
        // The default port may be taken (another server): then up runs without it, as serve does.
        ingest: ingestOptions(cmd.getOptionValueSource("tcp") === "default" ? {} : { tcp: opts.tcp }),
      });
      const host = opts.demo ? undefined : hostJournal();
      let journal: string[];
      let what: string;
      let logName: string;
      let startAt: string;
      if (host) {
        ({ spec: journal, what } = host);
        logName = "local";
        startAt = "boot";
      } else {
        const dir = join(dataDir, "demo-journal");
        const count = Number(opts.demoEntries);
        if (!existsSync(dir)) {
          process.stdout.write(
            opts.demo
              ? `Generating a demo journal of a 3-host cluster (${count} entries)…\n`
              : `This host's journal is empty or missing (a container or CI?): generating a demo journal of a 3-host cluster (${count} entries) instead…\n`,
          );
          // Written aside and renamed, so an interrupted generation is never mistaken for a whole one.
          const partial = `${dir}.partial`;
          rmSync(partial, { recursive: true, force: true });
          await writeDemoJournal(partial, { count, spanUs: 12 * 3600 * 1e6 });
          renameSync(partial, dir);
        }
        journal = ["--journal", "journalctl", "--journal-dir", dir];
        what = `the demo journal of a 3-host cluster (${dir})`;
        logName = "demo";
        startAt = "oldest";
      }
      const log = server.store.logByName(logName) ?? server.store.createLog(logName);
      // This same program, from sources (under tsx) or compiled, as this file is.
      const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
      const main = fileURLToPath(new URL(`../main${ext}`, import.meta.url));
      const execArgv = main.endsWith(".ts") ? ["--import", "tsx"] : [];
      const ship: ChildProcess = spawn(
        process.execPath,
        [...execArgv, main, "ship", ...journal, "--to", server.url, "--state", join(dataDir, "ship-state"), "--start-at", startAt, "--log-level", "warn"],
        { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, LOGHARBOR_TOKEN: log.token } },
      );
      const live = host === undefined && rate > 0 ? startLiveWriter({ url: server.url, token: log.token, perSecond: rate }) : undefined;
      // Commands that work as printed: --server when the server is not where the CLI looks by default.
      const cli = "npx logharbor";
      const at = server.url === DEFAULT_SERVER ? "" : ` --server ${server.url}`;
      const tcp = server.listeners["tcp"];
      process.stdout.write(
        [
          "",
          `logharbor is up.`,
          `  server    ${server.url}   (data in ${dataDir}, its log in ${logFile})`,
          `  shipping  ${what} into the log "${logName}"${live ? `, and ${rate} new entries a second` : ""}`,
          ...(tcp ? [`  token TCP ${tcp.host}:${tcp.port}   (echo "TOKEN hello" | nc ${tcp.host} ${tcp.port})`] : []),
          "",
          "Try:",
          `  ${cli} query 'where(timeout)' --from -1d${at}`,
          `  ${cli} query 'where(unit=nginx.service AND status>=500) calculate(count)' --from -1d${at}`,
          `  ${cli} tail -p err${at}              # follow errors live`,
          `  ${cli} logs list${at}`,
          `  ${cli} logs create web${at}        # a new log and its ingest token`,
          `  open ${server.url}/ in a browser; docs/tour.md is a ten-minute tour`,
          "",
          "Stop with Ctrl-C.",
          "",
        ].join("\n"),
      );
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        live?.stop();
        if (ship.exitCode === null) {
          ship.kill("SIGTERM");
          await new Promise((r) => ship.once("exit", r));
        }
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", () => void stop());
      process.once("SIGTERM", () => void stop());
      ship.once("exit", (code) => {
        if (!stopping) {
          process.stderr.write(`logharbor up: the shipping agent exited (${code}); the server keeps running. Stop with Ctrl-C.\n`);
        }
      });
    });
}
