// logharbor up: the quick start. Starts the server with its embedded store and ships this host's
// journal to it — or, where this host has no journal to read (containers, CI), a generated demo
// journal of a small cluster, made into real journal files.
import type { Command } from "commander";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const GATEWAYD_SOCKET = "/run/journald.sock";

interface UpOpts {
  data: string;
  http: string;
  demo?: boolean;
  demoEntries: string;
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
    .action(async (opts: UpOpts) => {
      const dataDir = resolve(opts.data);
      mkdirSync(dataDir, { recursive: true });
      // The server's own logs go to a file, so that this terminal stays readable.
      const logFile = join(dataDir, "serve.log");
      // Loaded here, not at the top: the other commands (ship, query...) start faster without the server.
      const [{ startServer }, { createLogger }, { writeDemoJournal }] = await Promise.all([
        import("../../server/server.js"),
        import("../../server/logger.js"),
        import("../../demo/journal-files.js"),
      ]);
      const server = await startServer({ dataDir, http: opts.http, logger: createLogger({ destination: createWriteStream(logFile, { flags: "a" }) }) });
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
      const cli = "npx logharbor";
      process.stdout.write(
        [
          "",
          `logharbor is up.`,
          `  server    ${server.url}   (data in ${dataDir}, its log in ${logFile})`,
          `  shipping  ${what} into the log "${logName}"`,
          "",
          "Try:",
          `  ${cli} query 'where(timeout)' --from -1d`,
          `  ${cli} query 'where(error OR failed)' --from -1d --json`,
          `  ${cli} logs list`,
          `  ${cli} logs create web        # a new log and its ingest token`,
          "",
          "Stop with Ctrl-C.",
          "",
        ].join("\n"),
      );
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
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
