// Our own CLI as real child processes: start `logharbor serve` on port 0, run a command to its end.
import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { cliArgv } from "./paths.js";

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Spawns `logharbor ARGS...`, collecting its output. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const [cmd, ...pre] = cliArgv();
  const child = spawn(cmd!, [...pre, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // Unreferenced: the timer must not hold the test file's process open once the child exited.
      const r = await Promise.race([exited, sleep(15000, "timeout", { ref: false })]);
      if (r === "timeout") {
        child.kill("SIGKILL");
        return exited;
      }
      return r;
    },
  };
}

/** Runs `logharbor ARGS...` to completion. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const r = startCli(args, env);
  const code = await r.exited;
  // Let the pipes drain.
  await sleep(10);
  return { code, stdout: r.stdout(), stderr: r.stderr() };
}

/** Waits until a condition holds, polling; throws with the description after the deadline. */
export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export interface Serve extends Running {
  url: string;
}

/** Starts `logharbor serve --data DIR --http 127.0.0.1:0` and waits for its URL. */
export async function startServe(dataDir: string, extra: string[] = []): Promise<Serve> {
  const r = startCli(["serve", "--data", dataDir, "--http", "127.0.0.1:0", ...extra]);
  const url = await waitFor("logharbor serve to listen", async () => {
    if (r.child.exitCode !== null) throw new Error(`logharbor serve exited ${r.child.exitCode}: ${r.stderr()}`);
    return /listening on (http:\/\/\S+)/.exec(r.stdout())?.[1];
  });
  return { ...r, url };
}
