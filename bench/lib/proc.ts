// Child processes for the bench: every one in its own process group (so a timeout or Ctrl-C ends it
// with the processes it started), killed at exit; peak memory from /usr/bin/time (exact, for the
// measured command) and from /proc VmHWM sampled over the process tree (its children).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GNU_TIME = "/usr/bin/time";
const live = new Set<ChildProcess>();

function killGroup(c: ChildProcess, signal: NodeJS.Signals): void {
  if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  try {
    process.kill(-c.pid, signal);
  } catch {
    try {
      c.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Kills every child still running (and its process group). Runs at exit and on SIGINT/SIGTERM. */
export function killAll(): void {
  for (const c of live) killGroup(c, "SIGKILL");
  live.clear();
}
process.once("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    process.stderr.write(`bench: ${sig}: stopping child processes\n`);
    killAll();
    process.exit(130);
  });
}

/** Spawns a tracked child in its own process group. */
export function spawnTracked(argv: string[], opts: { stdio?: Array<"ignore" | "pipe" | number>; env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  const c = spawn(argv[0]!, argv.slice(1), { stdio: opts.stdio ?? ["ignore", "pipe", "pipe"], env: opts.env ?? process.env, cwd: opts.cwd, detached: true });
  live.add(c);
  c.once("exit", () => live.delete(c));
  return c;
}

/** Stops a tracked child: SIGTERM to its group, SIGKILL after graceMs. */
export async function stopTracked(c: ChildProcess, graceMs = 3000): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once("exit", r));
  killGroup(c, "SIGTERM");
  const t = setTimeout(() => killGroup(c, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(t);
}

interface ProcStatus {
  name: string;
  ppid: number;
  hwmKb: number;
  anonKb: number;
}

function readStatus(pid: number): ProcStatus | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const name = /^Name:\s+(.*)$/m.exec(s)?.[1] ?? "?";
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(s)?.[1] ?? 0);
    const hwmKb = Number(/^VmHWM:\s+(\d+)/m.exec(s)?.[1] ?? 0);
    const anonKb = Number(/^RssAnon:\s+(\d+)/m.exec(s)?.[1] ?? 0);
    return { name, ppid, hwmKb, anonKb };
  } catch {
    return undefined;
  }
}

/** pid and its descendants, now. */
function processTree(root: number): Map<number, ProcStatus> {
  const all = new Map<number, ProcStatus>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = readStatus(Number(d));
    if (s) all.set(Number(d), s);
  }
  const out = new Map<number, ProcStatus>();
  const want = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of all) {
      if (!want.has(pid) && want.has(s.ppid)) {
        want.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of want) {
    const s = all.get(pid);
    if (s) out.set(pid, s);
  }
  return out;
}

/** Peak RSS per process name (the largest of processes of the same name), in KiB. */
export type PeakByName = Record<string, number>;

/** Samples VmHWM over a process tree until stopped; VmHWM only grows, so the last sample is nearly the peak. */
export class TreeSampler {
  private readonly peaks = new Map<number, { name: string; kb: number; anonKb: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly root: number, intervalMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    for (const [pid, s] of processTree(this.root)) {
      const prev = this.peaks.get(pid);
      // A pid whose name changed has exec'd another program: its peak starts again.
      const same = prev !== undefined && prev.name === s.name;
      this.peaks.set(pid, { name: s.name, kb: same ? Math.max(prev.kb, s.hwmKb) : s.hwmKb, anonKb: same ? Math.max(prev.anonKb, s.anonKb) : s.anonKb });
    }
  }

  /** Peak RSS (VmHWM) by process name; includes pages of mapped files (journal files, for readers). */
  stop(): PeakByName {
    clearInterval(this.timer);
    const byName: PeakByName = {};
    for (const { name, kb } of this.peaks.values()) byName[name] = Math.max(byName[name] ?? 0, kb);
    return byName;
  }

  /** Sampled peak anonymous RSS (heap, stacks: memory of the process's own) by process name. */
  anon(): PeakByName {
    const byName: PeakByName = {};
    for (const { name, anonKb } of this.peaks.values()) byName[name] = Math.max(byName[name] ?? 0, anonKb);
    return byName;
  }
}

export interface Peaks {
  /** VmHWM by process name, KiB. */
  hwm: PeakByName;
  /** Anonymous RSS by process name, KiB (sampled). */
  anon: PeakByName;
}

/** Peak RSS of a running process tree right now (VmHWM; anonymous RSS as sampled now), by process name. */
export function treePeaks(pid: number): Peaks {
  const s = new TreeSampler(pid, 1e9);
  const hwm = s.stop();
  return { hwm, anon: s.anon() };
}

export interface Measured {
  seconds: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Peak RSS of the command itself, KiB: exact (GNU time %M) when it started no children, else sampled VmHWM. */
  peakKb: number;
  /** Sampled peaks of the command's descendants, by process name. */
  children: PeakByName;
  /** Sampled peak anonymous RSS of the command and its descendants, by process name. */
  anonKb: PeakByName;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** "null": stdout goes to /dev/null (measuring a reader); "pipe": kept (last 64 KiB). */
  stdout: "null" | "pipe";
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const KEEP = 64 * 1024;

/** Runs a command to its end, timing it and measuring memory. Never throws for a failing command. */
export async function runMeasured(argv: string[], opts: RunOptions): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const tmp = mkdtempSync(join(tmpdir(), "logharbor-bench-time-"));
  const timeFile = join(tmp, "time.txt");
  const full = useTime ? [GNU_TIME, "-f", "%M", "-o", timeFile, ...argv] : argv;
  const devnull = opts.stdout === "null" ? openSync("/dev/null", "w") : undefined;
  const began = process.hrtime.bigint();
  const child = spawnTracked(full, { stdio: ["ignore", devnull ?? "pipe", "pipe"], ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  if (devnull !== undefined) closeSync(devnull);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout = (stdout + d.toString("utf8")).slice(-KEEP)));
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-KEEP)));
  const sampler = new TreeSampler(child.pid!);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopTracked(child, 2000);
  }, opts.timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once("error", () => resolve([null, null]));
    child.once("close", (code, sig) => resolve([code, sig]));
  });
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  clearTimeout(timer);
  const children = sampler.stop();
  const anonKb = sampler.anon();
  delete children["time"];
  delete anonKb["time"];
  let peakKb = 0;
  if (useTime) {
    try {
      // GNU time writes "Command exited with non-zero status N" before the figures when it fails.
      const lines = readFileSync(timeFile, "utf8").trim().split("\n");
      peakKb = Number(lines[lines.length - 1]) || 0;
    } catch {
      // no figures: the command was killed with its group
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  // GNU time's figure is the largest of the command and the children it reaped: exact for a command
  // alone, not for one that starts others (ship starts journalctl); then the sampled VmHWM is used.
  const mainName = argv[0]!.split("/").pop()!.slice(0, 15);
  const sampledMain = children[mainName] ?? 0;
  delete children[mainName];
  if (peakKb === 0 || Object.keys(children).length > 0) peakKb = sampledMain;
  return { seconds, exitCode, signal, timedOut, peakKb, children, anonKb, stdout, stderr };
}

/** A one-line reason why a measured command failed, with the end of its stderr. */
export function failureOf(label: string, m: Measured): string | undefined {
  if (!m.timedOut && m.exitCode === 0) return undefined;
  const why = m.timedOut ? `did not finish within the time limit (${m.seconds.toFixed(0)} s)` : m.signal ? `was killed by ${m.signal}` : `exited with status ${m.exitCode}`;
  const tail = m.stderr.trim().split("\n").slice(-8).join("\n    ");
  return `${label} ${why}${tail ? `:\n    ${tail}` : ""}`;
}
