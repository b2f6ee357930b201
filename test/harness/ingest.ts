// Support for the ingest e2e tests: a server with every line-protocol listener on 127.0.0.1:0, a
// self-signed certificate made by openssl, waiting on the store, and the official Logentries Node
// clients run in a child process (they take no CA option: NODE_EXTRA_CA_CERTS does it).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { IngestListenersOptions } from "../../src/server/ingest/listeners.js";
import { startTestServer, type TestServer } from "../../src/server/testing.js";
import type { StoredEvent } from "../../src/server/storage/store.js";
import { repoRoot } from "./paths.js";

export interface Cert {
  cert: string;
  key: string;
}

/** A self-signed certificate for localhost and 127.0.0.1, written into dir. */
export function makeCert(dir: string): Cert {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const r = spawnSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl req failed (${r.status}): ${r.stderr}`);
  return { cert, key };
}

/** A test server with the listeners asked for (each "127.0.0.1:0" unless given). */
export async function startIngestServer(ingest: IngestListenersOptions): Promise<TestServer> {
  return startTestServer({ ingest });
}

/** Waits until check() is true; fails after a generous deadline rather than hanging. */
export async function waitFor(what: string, check: () => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

/** waitFor with an asynchronous check. */
export async function waitForAsync(what: string, check: () => Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(10);
  }
}

/** Every event of a log, oldest first. */
export function eventsOf(s: TestServer, logId: string): StoredEvent[] {
  return s.store.search({ logIds: [logId], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 100_000, order: "asc" }).events;
}

/** A metric's value from /metrics text, 0 when absent. */
export async function metric(s: TestServer, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{")) continue;
    if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

export interface ClientRun {
  /** Resolves when the client has written everything (its buffer drained). */
  sent: Promise<void>;
  stop(): void;
}

/**
 * Runs an official Logentries client (le_node or r7insight_node) in a child process: it logs each
 * message with the token given for it (one logger per token), over TLS when `caFile` is set.
 */
export function runLogentriesClient(pkg: "le_node" | "r7insight_node", opts: {
  port: number; secure: boolean; caFile?: string; messages: Array<{ token: string; text: string }>;
}): ClientRun {
  const script = `
    const mod = require(${JSON.stringify(pkg)});
    const Logger = mod.default || mod;
    const { port, secure, messages } = JSON.parse(process.env.LH_CLIENT);
    const loggers = new Map();
    let pending = 0;
    for (const m of messages) {
      let l = loggers.get(m.token);
      if (!l) {
        l = new Logger({ token: m.token, host: "localhost", port, secure, withLevel: false, timestamp: false, reconnectInitialDelay: 50 });
        l.on("error", (e) => { console.error("client error:", e && e.message); });
        loggers.set(m.token, l);
        pending++;
        l.once("buffer drain", () => { if (--pending === 0) console.log("sent"); });
      }
      l.log("info", m.text);
    }
    setInterval(() => {}, 1 << 30);
  `;
  const env: NodeJS.ProcessEnv = { ...process.env, LH_CLIENT: JSON.stringify({ port: opts.port, secure: opts.secure, messages: opts.messages }) };
  if (opts.caFile) env["NODE_EXTRA_CA_CERTS"] = opts.caFile;
  const child = spawn(process.execPath, ["-e", script], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const sent = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (d.toString().includes("sent")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${pkg} client exited (${code}) before sending: ${stderr}`)));
  });
  sent.catch(() => {});
  return { sent, stop: () => void child.kill("SIGKILL") };
}

export function readPem(file: string): string {
  return readFileSync(file, "utf8");
}
