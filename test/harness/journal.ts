// Real journal files for tests: export-format text turned into .journal files by the real
// systemd-journal-remote, served by the real systemd-journal-gatewayd on a unix socket
// (socket-activated by systemd-socket-activate, as /run/journald.sock is on a host).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { encodeExportEntry, type ExportField } from "../../src/core/journal/export-encoder.js";

export const JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote";
export const GATEWAYD = "/lib/systemd/systemd-journal-gatewayd";

/** Export-format bytes for many entries. */
export function exportText(entries: Iterable<Iterable<ExportField>>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(encodeExportEntry(e));
  return Buffer.concat(parts);
}

/** How journal-remote writes the file: SYSTEMD_JOURNAL_COMPACT=0 / SYSTEMD_JOURNAL_KEYED_HASH=0, --compress=no. */
export interface JournalWriteOptions {
  env?: Record<string, string>;
  compress?: boolean;
}

/**
 * Writes entries into a journal file DIR/NAME.journal with systemd-journal-remote. Called again on
 * the same file, journal-remote appends to it (what a following reader sees as new entries).
 */
export function writeJournal(dir: string, entries: Iterable<Iterable<ExportField>>, name = "remote", opts: JournalWriteOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const input = join(dir, `.${name}.export`);
  writeFileSync(input, exportText(entries));
  const file = join(dir, `${name}.journal`);
  const args = ["-o", file, ...(opts.compress === false ? ["--compress=no"] : []), input];
  const r = spawnSync(JOURNAL_REMOTE, args, { encoding: "utf8", env: { ...process.env, ...opts.env } });
  if (r.status !== 0) throw new Error(`systemd-journal-remote failed (${r.status}): ${r.stderr}`);
  return file;
}

export interface Gatewayd {
  socket: string;
  stop(): Promise<void>;
}

/** Starts systemd-journal-gatewayd -D DIR on a unix socket, socket-activated. */
export async function startGatewayd(dir: string, socket = join(dir, "..", `gatewayd-${process.pid}-${Date.now()}.sock`)): Promise<Gatewayd> {
  const child: ChildProcess = spawn("systemd-socket-activate", ["-l", socket, GATEWAYD, "-D", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(20);
  if (!existsSync(socket)) {
    child.kill("SIGKILL");
    throw new Error(`gatewayd socket ${socket} did not appear: ${stderr}`);
  }
  return {
    socket,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([done, sleep(2000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
