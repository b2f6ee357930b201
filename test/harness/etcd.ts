// A real etcd (Debian's etcd-server, v3 API) on loopback ports for tests, with its data in a temp dir.
// stop() and start() again keep the data and the ports: "etcd went away and came back". Optionally
// served over TLS (with client certificates required), and with user/password auth enabled by the
// real etcdctl (enableAuth).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { Etcd3, type IOptions } from "etcd3";
import { tempDir } from "./paths.js";
import { waitFor } from "./processes.js";

export interface EtcdTls {
  /** The CA that signed the server's certificate (and the clients', with clientCertAuth). */
  ca: string;
  serverCert: string;
  serverKey: string;
  /** Require a client certificate signed by `ca` (etcd's --client-cert-auth). */
  clientCertAuth?: boolean;
  /** The certificate the harness's own clients (and etcdctl) present. */
  clientCert?: string;
  clientKey?: string;
}

export interface StartEtcdOptions {
  tls?: EtcdTls;
}

export interface TestEtcd {
  url: string;
  dataDir: string;
  /** A client with the harness's credentials (TLS, and root's password once enableAuth ran). */
  client(): Etcd3;
  /** Runs etcdctl against this etcd with the harness's credentials; throws on failure. */
  etcdctl(args: string[]): string;
  /**
   * Enables user/password auth: a root user (whose password the harness keeps for its own clients)
   * and, for each user given, a role readwrite on its key prefixes (and read on its read keys).
   */
  enableAuth(users: Array<{ name: string; password: string; readwrite: string[]; read?: string[] }>): Promise<void>;
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

const ROOT_PASSWORD = "harness-root-password";

export async function startEtcd(opts: StartEtcdOptions = {}): Promise<TestEtcd> {
  const dir = tempDir("logharbor-etcd-");
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const tls = opts.tls;
  const url = `${tls ? "https" : "http"}://127.0.0.1:${clientPort}`;
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
    ...(tls ? ["--cert-file", tls.serverCert, "--key-file", tls.serverKey, "--trusted-ca-file", tls.ca, ...(tls.clientCertAuth ? ["--client-cert-auth"] : [])] : []),
  ];
  let auth = false;
  const clientOptions = (timeoutMs?: number): IOptions => ({
    hosts: url,
    ...(timeoutMs !== undefined ? { dialTimeout: timeoutMs, defaultCallOptions: (c) => (c.isStream ? {} : { deadline: Date.now() + timeoutMs }) } : {}),
    ...(tls
      ? { credentials: { rootCertificate: readFileSync(tls.ca), ...(tls.clientCert ? { certChain: readFileSync(tls.clientCert) } : {}), ...(tls.clientKey ? { privateKey: readFileSync(tls.clientKey) } : {}) } }
      : {}),
    ...(auth ? { auth: { username: "root", password: ROOT_PASSWORD } } : {}),
  });
  const ctlArgs = (): string[] => [
    `--endpoints=${url}`,
    ...(tls ? [`--cacert=${tls.ca}`, ...(tls.clientCert ? [`--cert=${tls.clientCert}`, `--key=${tls.clientKey}`] : [])] : []),
    ...(auth ? [`--user=root:${ROOT_PASSWORD}`] : []),
  ];
  const etcdctl = (a: string[]): string => {
    const r = spawnSync("etcdctl", [...ctlArgs(), ...a], { encoding: "utf8", env: { ...process.env, ETCDCTL_API: "3" } });
    if (r.status !== 0) throw new Error(`etcdctl ${a.join(" ")} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  let child: ChildProcess | undefined;
  let stderr = "";
  const clients: Etcd3[] = [];
  let probe = new Etcd3(clientOptions(500));
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
      const c = new Etcd3(clientOptions());
      clients.push(c);
      return c;
    },
    etcdctl,
    async enableAuth(users) {
      etcdctl(["user", "add", `root:${ROOT_PASSWORD}`]);
      etcdctl(["user", "grant-role", "root", "root"]);
      for (const u of users) {
        etcdctl(["role", "add", u.name]);
        for (const key of u.readwrite) etcdctl(["role", "grant-permission", u.name, "--prefix=true", "readwrite", key]);
        for (const key of u.read ?? []) etcdctl(["role", "grant-permission", u.name, "read", key]);
        etcdctl(["user", "add", `${u.name}:${u.password}`]);
        etcdctl(["user", "grant-role", u.name, u.name]);
      }
      etcdctl(["auth", "enable"]);
      auth = true;
      // The probe (used by start()) authenticates from now on.
      probe = new Etcd3(clientOptions(500));
      clients.push(probe);
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
