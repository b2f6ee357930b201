// Long-running processes a bench step talks to: the ack-only receiver, systemd-journal-gatewayd on a
// unix socket, `logharbor serve`. Each starts tracked (killed at exit), reports its peak RSS at stop.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { benchScript, cliArgv } from "./paths.js";
import { spawnTracked, stopTracked, treePeaks, type Peaks } from "./proc.js";

export const GATEWAYD = "/lib/systemd/systemd-journal-gatewayd";

export interface Server {
  child: ChildProcess;
  /** Peak RSS (KiB) of the server's processes by name, then stops them. */
  stop(): Promise<Peaks>;
}

/** Resolves with the first stdout line matching re; rejects if the child exits or timeoutMs passes. */
export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number, label: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const onOut = (d: Buffer): void => {
      out += d.toString("utf8");
      for (const line of out.split("\n")) {
        const m = line.match(re);
        if (m) {
          done();
          resolve(m);
          return;
        }
      }
    };
    const onErr = (d: Buffer): void => {
      err = (err + d.toString("utf8")).slice(-8192);
    };
    const onExit = (code: number | null, sig: string | null): void => {
      done();
      reject(new Error(`${label} exited (${sig ?? `status ${code}`}) before it was ready: ${(err || out).trim().slice(-2000) || "no output"}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${label} was not ready within ${timeoutMs} ms (waiting for ${re} on stdout): ${(err || out).trim().slice(-2000) || "no output"}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onOut);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onOut);
    child.stderr?.on("data", onErr);
    child.once("exit", onExit);
  });
}

function serverOf(child: ChildProcess): Server {
  // Keep reading its output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    child,
    async stop() {
      const peaks = child.pid !== undefined && child.exitCode === null ? treePeaks(child.pid) : { hwm: {}, anon: {} };
      await stopTracked(child);
      return peaks;
    },
  };
}

/** The ack-only receiver (bench/receiver.ts) on 127.0.0.1, an ephemeral port. */
export async function startReceiver(): Promise<Server & { url: string }> {
  const child = spawnTracked(benchScript("receiver"));
  const m = await waitForLine(child, /^\{"port":(\d+)\}$/, 15_000, "the bench receiver");
  return { ...serverOf(child), url: `http://127.0.0.1:${m[1]}` };
}

/** systemd-journal-gatewayd -D dir, socket-activated on a unix socket (as /run/journald.sock is). */
export async function startGatewayd(dir: string, socket: string): Promise<Server> {
  const child = spawnTracked(["systemd-socket-activate", "-l", socket, GATEWAYD, "-D", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-4096)));
  for (let i = 0; i < 250 && !existsSync(socket) && child.exitCode === null; i++) await sleep(20);
  if (!existsSync(socket)) {
    await stopTracked(child);
    throw new Error(`gatewayd: the socket ${socket} did not appear: ${stderr.trim() || "no output"}`);
  }
  return serverOf(child);
}

/** `logharbor serve --data dir --http 127.0.0.1:0`; resolves once it prints its URL. */
export async function startServe(dataDir: string): Promise<Server & { url: string }> {
  const child = spawnTracked([...cliArgv(), "serve", "--data", dataDir, "--http", "127.0.0.1:0"]);
  const m = await waitForLine(child, /logharbor serve: listening on (http:\/\/\S+)/, 30_000, "logharbor serve");
  return { ...serverOf(child), url: m[1]!.replace(/\/$/, "") };
}

/** A JSON request with a clear error for anything but a 2xx JSON answer. */
export async function requestJson<T>(method: "GET" | "POST", url: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: expected a 2xx answer, got ${res.status}: ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${method} ${url}: expected JSON, got: ${text.slice(0, 500)}`);
  }
}
