// A real `logharbor serve` child with the listeners asked for (forward, GELF...), for the ingest
// benchmarks beside token TCP; the record content and the server's CPU, peak RSS and stored count
// come from token-tcp.ts, so every protocol is measured on the same messages the same way.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { cliArgv } from "./paths.js";

// The record content and the /proc readings are token TCP's own (one copy for every ingest bench).
export { countOf, cpuSeconds, message, peakRssMiB } from "./token-tcp.js";

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
