// A real etcd (Debian's etcd-server, v3 API) on loopback ports for tests, with its data in a temp dir.
// stop() and start() again keep the data and the ports: "etcd went away and came back".
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Etcd3 } from "etcd3";
import { tempDir } from "./paths.js";
import { waitFor } from "./processes.js";

export interface TestEtcd {
  url: string;
  dataDir: string;
  client(): Etcd3;
  /** Stops etcd at once (SIGKILL: its write-ahead log keeps what it acknowledged) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again with the same data and ports; resolves when it answers. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** A port free right now (bound on port 0 and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startEtcd(): Promise<TestEtcd> {
  const dir = tempDir("logharbor-etcd-");
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    "--name", "test",
    "--data-dir", dir.path,
    "--listen-client-urls", url,
    "--advertise-client-urls", url,
    "--listen-peer-urls", peer,
    "--initial-advertise-peer-urls", peer,
    "--initial-cluster", `test=${peer}`,
    "--log-level", "error",
  ];
  let child: ChildProcess | undefined;
  let stderr = "";
  const clients: Etcd3[] = [];
  const probe = new Etcd3({ hosts: url, dialTimeout: 500, defaultCallOptions: (c) => (c.isStream ? {} : { deadline: Date.now() + 500 }) });
  clients.push(probe);

  const start = async (): Promise<void> => {
    stderr = "";
    child = spawn("etcd", args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.env["ETCD_UNSUPPORTED_ARCH"] ?? "" } });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const c = child;
    await waitFor("etcd to answer", async () => {
      if (c.exitCode !== null) throw new Error(`etcd exited ${c.exitCode}: ${stderr}`);
      try {
        await probe.get("/probe").string();
        return true;
      } catch {
        return undefined;
      }
    }, 20000);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url,
    dataDir: dir.path,
    client() {
      const c = new Etcd3({ hosts: url });
      clients.push(c);
      return c;
    },
    stop,
    start,
    async dispose() {
      for (const c of clients) c.close();
      await stop();
      dir.dispose();
    },
  };
}
