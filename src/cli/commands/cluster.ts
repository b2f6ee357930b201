// logharbor cluster: the configuration every agent reads from etcd, and the agents that report in.
//   logharbor cluster set-config FILE [--host HOSTNAME]   validate FILE (YAML or JSON) as the agents would,
//                                                        then write it to <prefix>/config (or the host's key)
//   logharbor cluster status [--json]                    the agents reporting in (<prefix>/agents/*), with lag, and
//                                                        those that stopped reporting (agents-seen/*) as silent
//   logharbor cluster forget HOSTNAME                    stop listing an agent that is gone for good
// Exit codes: 0 ok, 1 etcd failure, 2 bad usage or an invalid file (nothing written).
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { clusterKeys, hostnameProblem } from "../../agent/cluster/keys.js";
import { addEtcdOptions, etcdSettings, type EtcdFlags, type EtcdSettings } from "../../agent/cluster/options.js";
import type { AgentReport } from "../../agent/cluster/registration.js";
import { validateDocument } from "../../agent/cluster/validate.js";

function fail(code: 1 | 2, lines: string[]): never {
  for (const l of lines) process.stderr.write(`logharbor cluster: ${l}\n`);
  process.exit(code);
}

function settingsOrExit(f: EtcdFlags): EtcdSettings {
  const { settings, problems } = etcdSettings(f, process.env, { required: true });
  if (settings === undefined) fail(2, problems);
  return settings;
}

function etcdFailure(e: unknown, url: string[]): never {
  fail(1, [`etcd at ${url.join(",")} did not answer: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`]);
}

export function registerCluster(program: Command): void {
  const cluster = program.command("cluster").description("The cluster configuration in etcd, and the agents that report in.");

  addEtcdOptions(
    cluster
      .command("set-config")
      .description("Validate a ship configuration file (YAML or JSON) and write it to etcd: <prefix>/config, or <prefix>/hosts/HOST/config with --host.")
      .argument("<file>", "the configuration (snake_case keys: to, token, batch_max_entries, ...)")
      .option("--host <hostname>", "write the override of this host only"),
    { required: true },
  ).action(async (file: string, f: EtcdFlags & { host?: string }) => {
    const s = settingsOrExit(f);
    if (f.host !== undefined && hostnameProblem(f.host) !== undefined) fail(2, [hostnameProblem(f.host)!.replace("--hostname", "--host")]);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      fail(2, [`${file}: cannot read it: ${(e as Error).message}`]);
    }
    const problems = await validateDocument(text, file);
    if (problems.length > 0) fail(2, [...problems, "nothing was written to etcd"]);
    const keys = clusterKeys(s.prefix, f.host ?? "_");
    const key = f.host !== undefined ? keys.hostConfig : keys.config;
    const { createEtcdClient } = await import("../../agent/cluster/client.js");
    const client = createEtcdClient(s.connection);
    try {
      await client.put(key).value(text);
    } catch (e) {
      etcdFailure(e, s.connection.hosts);
    } finally {
      client.close();
    }
    process.stdout.write(`wrote ${key} (${Buffer.byteLength(text)} bytes); the agents apply it within seconds\n`);
  });

  addEtcdOptions(
    cluster
      .command("status")
      .description("List the agents that report in (each keeps <prefix>/agents/HOST alive with a lease): version, lag, last error.")
      .option("--json", "one JSON object per agent, one per line"),
    { required: true },
  ).action(async (f: EtcdFlags & { json?: boolean }) => {
    const s = settingsOrExit(f);
    const keys = clusterKeys(s.prefix, "_");
    const { createEtcdClient } = await import("../../agent/cluster/client.js");
    const client = createEtcdClient(s.connection);
    let live: Record<string, string>;
    let seen: Record<string, string>;
    try {
      live = await client.getAll().prefix(keys.agents).strings();
      seen = await client.getAll().prefix(keys.seen).strings();
    } catch (e) {
      etcdFailure(e, s.connection.hosts);
    } finally {
      client.close();
    }
    const agents = mergeReports(live, seen, keys.agents, keys.seen);
    if (f.json) {
      for (const a of agents) process.stdout.write(JSON.stringify(a) + "\n");
      return;
    }
    if (agents.length === 0) {
      process.stdout.write(`no agent reports in under ${keys.agents}\n`);
      return;
    }
    process.stdout.write(formatStatus(agents));
  });

  addEtcdOptions(
    cluster
      .command("forget <hostname>")
      .description("Stop listing an agent that no longer reports (its host is gone for good): removes <prefix>/agents-seen/HOST."),
    { required: true },
  ).action(async (hostname: string, f: EtcdFlags) => {
    const s = settingsOrExit(f);
    const keys = clusterKeys(s.prefix, hostname);
    const { createEtcdClient } = await import("../../agent/cluster/client.js");
    const client = createEtcdClient(s.connection);
    let deleted: number;
    try {
      deleted = Number((await client.delete().key(keys.agentSeen).exec()).deleted);
    } catch (e) {
      etcdFailure(e, s.connection.hosts);
    } finally {
      client.close();
    }
    if (deleted === 0) fail(1, [`no agent named ${JSON.stringify(hostname)} is listed under ${keys.seen}; \`logharbor cluster status\` lists them`]);
    process.stdout.write(`forgot agent ${hostname}\n`);
  });
}

export type AgentState = "live" | "silent" | "stopped";
export type ListedAgent = Partial<AgentReport> & { hostname: string; state: AgentState };

/** The live agents (leased reports) and those that stopped reporting (only their lease-less copy left). */
export function mergeReports(live: Record<string, string>, seen: Record<string, string>, livePrefix: string, seenPrefix: string): ListedAgent[] {
  const out = new Map<string, ListedAgent>();
  for (const [key, value] of Object.entries(seen)) {
    const r = parseReport(key.slice(seenPrefix.length), value);
    out.set(r.hostname, { ...r, state: r.stopped_at ? "stopped" : "silent" });
  }
  for (const [key, value] of Object.entries(live)) {
    const r = parseReport(key.slice(livePrefix.length), value);
    out.set(r.hostname, { ...r, state: "live" });
  }
  // The ones that need attention first.
  const order: Record<AgentState, number> = { silent: 0, live: 1, stopped: 2 };
  return [...out.values()].sort((a, b) => order[a.state] - order[b.state] || a.hostname.localeCompare(b.hostname));
}

function parseReport(hostname: string, value: string): Partial<AgentReport> & { hostname: string } {
  try {
    const o = JSON.parse(value) as Partial<AgentReport>;
    return { ...o, hostname };
  } catch {
    return { hostname, last_error: `unreadable report: ${JSON.stringify(value.slice(0, 80))}` };
  }
}

export function formatStatus(agents: Array<Partial<AgentReport> & { hostname: string; state?: AgentState }>): string {
  const rows = agents.map((a) => [
    a.hostname,
    a.state === "silent" ? `SILENT since ${a.updated_at ?? "?"}` : a.state === "stopped" ? `stopped ${a.stopped_at ?? ""}`.trim() : "live",
    a.version ?? "?",
    a.lag_seconds === null || a.lag_seconds === undefined ? "-" : `${a.lag_seconds.toFixed(1)}s`,
    a.config ?? "-",
    a.updated_at ?? "-",
    a.last_error ?? "",
  ]);
  const head = ["HOST", "STATE", "VERSION", "LAG", "CONFIG", "UPDATED", "LAST ERROR"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd() + "\n";
  return line(head) + rows.map(line).join("");
}
