// The etcd flags shared by `logharbor ship --etcd` and `logharbor cluster`:
//   --etcd URL (repeatable or comma-separated; env LOGHARBOR_ETCD)   --etcd-prefix (env LOGHARBOR_ETCD_PREFIX)
//   --etcd-ca-file, --etcd-cert-file, --etcd-key-file                --etcd-user (password: env LOGHARBOR_ETCD_PASSWORD)
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { parseEtcdHosts, type EtcdConnection } from "./connection.js";
import { DEFAULT_ETCD_PREFIX, normalizePrefix } from "./keys.js";

export interface EtcdFlags {
  etcd?: string[];
  etcdPrefix?: string;
  etcdCaFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
  etcdUser?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function addEtcdOptions(cmd: Command, opts: { required: boolean }): Command {
  return cmd
    .option("--etcd <url>", `etcd client URL, http(s)://host:2379 (repeatable; or LOGHARBOR_ETCD)${opts.required ? "; default http://127.0.0.1:2379" : ""}`, collect)
    .option("--etcd-prefix <prefix>", `where logharbor's keys live in etcd (or LOGHARBOR_ETCD_PREFIX; default ${DEFAULT_ETCD_PREFIX})`)
    .option("--etcd-ca-file <file>", "etcd TLS: trust the CA certificates in this PEM file")
    .option("--etcd-cert-file <file>", "etcd TLS: client certificate (PEM)")
    .option("--etcd-key-file <file>", "etcd TLS: client key (PEM)")
    .option("--etcd-user <name>", "etcd user (the password: LOGHARBOR_ETCD_PASSWORD)");
}

export interface EtcdSettings {
  connection: EtcdConnection;
  prefix: string;
}

/** The etcd settings, or every problem with them; undefined settings when --etcd is absent and optional. */
export function etcdSettings(f: EtcdFlags, env: NodeJS.ProcessEnv, opts: { required: boolean }): { settings: EtcdSettings | undefined; problems: string[] } {
  const raw = f.etcd ?? (env["LOGHARBOR_ETCD"] ? [env["LOGHARBOR_ETCD"]] : opts.required ? ["http://127.0.0.1:2379"] : undefined);
  if (raw === undefined) return { settings: undefined, problems: [] };
  const { hosts, problems } = parseEtcdHosts(raw);
  for (const [name, file] of [["--etcd-ca-file", f.etcdCaFile], ["--etcd-cert-file", f.etcdCertFile], ["--etcd-key-file", f.etcdKeyFile]] as const) {
    if (file !== undefined && !existsSync(file)) problems.push(`${name}: expected a PEM file, got ${JSON.stringify(file)} (not found)`);
  }
  if ((f.etcdCertFile === undefined) !== (f.etcdKeyFile === undefined)) problems.push("--etcd-cert-file and --etcd-key-file: give both or neither");
  const password = env["LOGHARBOR_ETCD_PASSWORD"];
  if (f.etcdUser !== undefined && !password) problems.push("--etcd-user: set the password in LOGHARBOR_ETCD_PASSWORD");
  const connection: EtcdConnection = {
    hosts,
    ...(f.etcdCaFile !== undefined ? { caFile: f.etcdCaFile } : {}),
    ...(f.etcdCertFile !== undefined ? { certFile: f.etcdCertFile } : {}),
    ...(f.etcdKeyFile !== undefined ? { keyFile: f.etcdKeyFile } : {}),
    ...(f.etcdUser !== undefined ? { username: f.etcdUser, password: password ?? "" } : {}),
  };
  const prefix = normalizePrefix(f.etcdPrefix ?? env["LOGHARBOR_ETCD_PREFIX"] ?? DEFAULT_ETCD_PREFIX);
  return { settings: problems.length ? undefined : { connection, prefix }, problems };
}

/** True when the agent's settings come from etcd (--etcd or LOGHARBOR_ETCD). */
export function wantsEtcd(f: EtcdFlags, env: NodeJS.ProcessEnv = process.env): boolean {
  return f.etcd !== undefined || Boolean(env["LOGHARBOR_ETCD"]);
}
