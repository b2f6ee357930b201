// logharbor hosts [--json] [--silent-after 10m]: every host that ships or shipped, the one that needs
// attention first (silent, its agent failing or not reporting, many errors, lagging).
// logharbor hosts forget HOST: forget a retired host's agent report.
import type { Command } from "commander";
import type { HostJson, HostsJson } from "../../core/api-json.js";
import { formatDuration } from "../../core/time.js";
import { clientFrom, withClientOptions } from "../client.js";
import { printTable } from "../output/table.js";

type ClientOpts = { server: string; apiKey?: string };

function ago(s: number | null): string {
  if (s === null) return "never";
  return s < 1 ? "now" : `${formatDuration(Math.round(s))} ago`;
}

export function hostRow(h: HostJson): string[] {
  const a = h.agent;
  return [
    h.host,
    h.silent ? "SILENT" : "ok",
    ago(h.quiet_s),
    String(h.entries_1h),
    h.entries_1h === 0 ? "-" : `${(h.error_share * 100).toFixed(1)}%`,
    a ? a.version : "-",
    a?.lag_s === null || a?.lag_s === undefined ? "-" : `${a.lag_s.toFixed(1)}s`,
    a ? `${a.buffer_bytes}` : "-",
    a ? (a.reporting ? (a.last_error ?? "") : `not reporting since ${a.reported_at}`) : "",
  ];
}

export function registerHosts(program: Command): void {
  const hosts = withClientOptions(
    program
      .command("hosts")
      .description("every host that ships or shipped: last entry, entries and errors in the last hour, silent or not, and its agent's report")
      .option("--json", "one JSON object per host, the one that needs attention first")
      .option("--silent-after <duration>", "a host is silent after this long without an entry (default 10m, or the duration of an inactivity alert on every host)"),
  ).action(async (opts: ClientOpts & { json?: boolean; silentAfter?: string }) => {
    const q = opts.silentAfter ? `?silent_after=${encodeURIComponent(opts.silentAfter)}` : "";
    const view = await clientFrom(opts).request<HostsJson>("GET", `/api/v1/hosts${q}`);
    if (opts.json) {
      for (const h of view.hosts) process.stdout.write(`${JSON.stringify(h)}\n`);
      return;
    }
    if (view.hosts.length === 0) {
      process.stdout.write("No host has shipped anything yet.\n");
      return;
    }
    printTable(["HOST", "STATE", "LAST ENTRY", "1H", "ERRORS", "AGENT", "LAG", "BUFFERED", "AGENT ERROR"], view.hosts.map(hostRow));
    const by = view.inactivity_alert ? `the inactivity alert "${view.inactivity_alert}"` : "--silent-after";
    process.stdout.write(`silent: no entry for ${formatDuration(view.silent_after_s)} (${by})\n`);
  });

  withClientOptions(hosts.command("forget <host>").description("forget a retired host's agent report (its entries stay)")).action(async (host: string, opts: ClientOpts) => {
    await clientFrom(opts).request("DELETE", `/api/v1/hosts/${encodeURIComponent(host)}/agent`);
    process.stdout.write(`Forgot the agent report of ${host}.\n`);
  });
}
