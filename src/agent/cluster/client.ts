// The etcd v3 client (the `etcd3` package) from --etcd URLs: TLS (https:// endpoints, a CA file, a
// client certificate) and user/password auth. Calls have a deadline so an unreachable etcd is an
// error after a few seconds, not a hang.
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Etcd3, type IOptions } from "etcd3";

export interface EtcdConnection {
  /** http(s)://host:port, one or more. */
  hosts: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  username?: string;
  password?: string;
  /** Deadline of each call (not of watches). */
  callTimeoutMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 3000;

/** Checks --etcd values: a comma-separated list is accepted too. Problems name the input. */
export function parseEtcdHosts(values: string[]): { hosts: string[]; problems: string[] } {
  const hosts: string[] = [];
  const problems: string[] = [];
  for (const raw of values.flatMap((v) => v.split(","))) {
    const v = raw.trim();
    let u: URL | undefined;
    try {
      u = new URL(v);
    } catch {
      u = undefined;
    }
    if (u === undefined || (u.protocol !== "http:" && u.protocol !== "https:") || u.hostname === "" || (u.pathname !== "/" && u.pathname !== "")) {
      problems.push(`--etcd: expected an etcd client URL such as http://127.0.0.1:2379, got ${JSON.stringify(v)}`);
      continue;
    }
    hosts.push(`${u.protocol}//${u.host}`);
  }
  if (hosts.length === 0 && problems.length === 0) problems.push("--etcd: expected at least one etcd client URL");
  return { hosts, problems };
}

export function createEtcdClient(c: EtcdConnection): Etcd3 {
  const timeout = c.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const options: IOptions = {
    hosts: c.hosts,
    dialTimeout: timeout,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
  };
  const tls = c.hosts.some((h) => h.startsWith("https:")) || c.caFile !== undefined || c.certFile !== undefined;
  if (tls) {
    options.credentials = {
      rootCertificate: c.caFile !== undefined ? readFileSync(c.caFile) : Buffer.from(rootCertificates.join("\n")),
      ...(c.certFile !== undefined ? { certChain: readFileSync(c.certFile) } : {}),
      ...(c.keyFile !== undefined ? { privateKey: readFileSync(c.keyFile) } : {}),
    };
  }
  if (c.username !== undefined) options.auth = { username: c.username, password: c.password ?? "" };
  return new Etcd3(options);
}
