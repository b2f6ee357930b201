// What the ingest benchmarks share: the record content (the same message for every protocol), a
// real `logharbor serve` child with the listeners asked for, and the server's CPU time, peak RSS
// and stored count read from outside.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { cliArgv } from "./paths.js";

const WORDS = ["GET", "POST", "/api/v1/orders", "/healthz", "user", "session", "timeout", "upstream", "cache", "miss", "hit", "db", "query", "ms", "status=200", "status=503", "retry", "worker", "queue", "payload"];

/** The i-th benchmark message (~110 bytes, key=value pairs the server parses). */
export function message(i: number): string {
  let s = `req-${i} host=web-${i % 7}`;
  for (let k = 0; k < 12; k++) s += " " + WORDS[(i * 31 + k * 7) % WORDS.length];
  return s + ` took ${(i * 13) % 997}ms`;
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

/** Events stored, all logs together. */
export async function countOf(url: string): Promise<number> {
  const r = (await (await fetch(`${url}/api/v1/logs`)).json()) as { logs: Array<{ events: number }> };
  return r.logs.reduce((n, l) => n + l.events, 0);
}

export interface BenchServe {
  url: string;
  pid: number;
  /** Real port of each listener by the protocol name serve prints (token-tcp, forward, gelf-udp...). */
  ports: Map<string, number>;
  stop(): Promise<void>;
}

/** `logharbor serve --data DIR --http 127.0.0.1:0 FLAGS...`; resolves once every listener in `expect` is up. */
export async function startBenchServe(dataDir: string, flags: string[], expect: string[]): Promise<BenchServe> {
  const [cmd, ...args] = cliArgv();
  const child = spawn(cmd!, [...args, "serve", "--data", dataDir, "--http", "127.0.0.1:0", ...flags], { stdio: ["ignore", "pipe", "inherit"] });
  let url = "";
  const ports = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (c) => reject(new Error(`serve exited (${c})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const u = /listening on (http:\S+)$/.exec(line);
      if (u) url = u[1]!;
      const t = /: (\S+) listening on \S+:(\d+)$/.exec(line);
      if (t) ports.set(t[1]!, Number(t[2]));
      if (url !== "" && expect.every((p) => ports.has(p))) resolve();
    });
  });
  return {
    url, pid: child.pid!, ports,
    stop: () => new Promise((r) => { child.once("exit", () => r()); child.kill("SIGTERM"); }),
  };
}
