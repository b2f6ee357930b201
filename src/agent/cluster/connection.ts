// How to reach etcd, checked from the --etcd flags. Kept apart from client.ts so that commands
// which never talk to etcd do not load the etcd client (gRPC) at start-up.

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
