// Token TCP ingest against a real `logharbor serve`, shared by the ingest benchmarks
// (ingest-tcp.ts, ingest-protocols.ts): the server with a token TCP listener, the messages, the
// sender, and what the server process used (CPU, peak RSS) from /proc.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { createInterface } from "node:readline";
import { cliArgv } from "./paths.js";

const WORDS = ["GET", "POST", "/api/v1/orders", "/healthz", "user", "session", "timeout", "upstream", "cache", "miss", "hit", "db", "query", "ms", "status=200", "status=503", "retry", "worker", "queue", "payload"];

/** The i-th benchmark message (about 120 bytes of log-like words). */
export function message(i: number): string {
  let s = `req-${i} host=web-${i % 7}`;
  for (let k = 0; k < 12; k++) s += " " + WORDS[(i * 31 + k * 7) % WORDS.length];
  return s + ` took ${(i * 13) % 997}ms`;
}

/** `logharbor serve` on port 0 with a token TCP listener (port 0), as a child process. */
export async function startServe(dataDir: string): Promise<{ url: string; port: number; pid: number; stop(): Promise<void> }> {
  const [cmd, ...args] = cliArgv();
  const child = spawn(cmd!, [...args, "serve", "--data", dataDir, "--http", "127.0.0.1:0", "--tcp", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  let url = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (c) => reject(new Error(`serve exited (${c})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const u = /listening on (http:\S+)$/.exec(line);
      if (u) url = u[1]!;
      const t = /token-tcp listening on \S+:(\d+)$/.exec(line);
      if (t) resolve(Number(t[1]));
    });
  });
  return {
    url, port, pid: child.pid!,
    stop: () => new Promise((r) => { child.once("exit", () => r()); child.kill("SIGTERM"); }),
  };
}

/** CPU seconds (user + system, all threads) a process has used, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Events stored in every log (committed). */
export async function countOf(url: string): Promise<number> {
  const r = (await (await fetch(`${url}/api/v1/logs`)).json()) as { logs: Array<{ events: number }> };
  return r.logs.reduce((n, l) => n + l.events, 0);
}

/** Sends token lines over one connection, 500 a write, honouring backpressure. */
export async function send(port: number, lines: string[]): Promise<void> {
  const sock = connect(port, "127.0.0.1");
  await new Promise((r) => sock.once("connect", r));
  const CHUNK = 500;
  for (let i = 0; i < lines.length; i += CHUNK) {
    if (!sock.write(lines.slice(i, i + CHUNK).join(""))) await new Promise((r) => sock.once("drain", r));
  }
  await new Promise<void>((r) => sock.end(() => r()));
}
