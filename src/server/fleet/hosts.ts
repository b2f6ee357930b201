// The fleet view: every host that ships or shipped, from the store (its newest entry, entries and
// errors in the last hour) and its agent's own report, sorted so that the host that needs attention
// comes first. Silence has one rule with the inactivity alerts: when an alert watches every entry
// of every host (inactivity per host, no query, all logs), its firing groups ARE the silent hosts and
// its duration is the threshold; otherwise a host is silent when its newest entry is older than
// `silentAfterS`.
import type { HostJson, HostsJson } from "../../core/api-json.js";
import type { AlertEngine } from "../alerts/engine.js";
import type { Store } from "../storage/store.js";
import type { AgentReports } from "./agent-reports.js";

export const DEFAULT_SILENT_AFTER_S = 600;
/** A lag above this many seconds is worth a look. */
const LAGGING_S = 60;

function rank(h: HostJson): number {
  if (h.silent) return 0;
  if (h.agent && (!h.agent.reporting || h.agent.last_error !== null)) return 1;
  if (h.error_share >= 0.1) return 2;
  if ((h.agent?.lag_s ?? 0) > LAGGING_S) return 3;
  return 4;
}

export function hostsView(store: Store, reports: AgentReports, alerts: AlertEngine | undefined, silentAfterS: number, nowMs = Date.now()): HostsJson {
  const watcher = alerts?.hostWatcher();
  const threshold = watcher?.forS ?? silentAfterS;
  const last = new Map(store.lastEntries("host").map((e) => [e.key, e.lastUs]));
  const counts = new Map(store.hostCounts((nowMs - 3600_000) * 1000).map((c) => [c.host, c]));
  const agents = reports.all();
  const names = new Set([...last.keys(), ...agents.keys()]);
  const hosts: HostJson[] = [];
  for (const host of names) {
    const lastUs = last.get(host);
    const c = counts.get(host);
    const a = agents.get(host);
    const quietS = lastUs === undefined ? null : Math.max(0, Math.round(nowMs / 1000 - lastUs / 1e6));
    const silent = watcher ? watcher.silent.has(host) : quietS === null || quietS >= threshold;
    const entries = c?.entries ?? 0;
    const errors = c?.errors ?? 0;
    const h: HostJson = {
      host,
      last_entry: lastUs === undefined ? null : new Date(Math.floor(lastUs / 1000)).toISOString(),
      quiet_s: quietS,
      entries_1h: entries,
      errors_1h: errors,
      error_share: entries === 0 ? 0 : errors / entries,
      silent,
      attention: [],
      agent: a
        ? {
            version: a.report.version, lag_s: a.report.lag_seconds, buffer_bytes: a.report.buffer_bytes,
            last_error: a.report.last_error, last_error_at: a.report.last_error_at,
            reported_at: new Date(a.atMs).toISOString(), reporting: nowMs - a.atMs < threshold * 1000,
          }
        : null,
    };
    if (silent) h.attention.push("silent");
    if (h.agent && !h.agent.reporting) h.attention.push("agent not reporting");
    if (h.agent?.last_error) h.attention.push("agent error");
    if (h.error_share >= 0.1) h.attention.push("errors");
    if ((h.agent?.lag_s ?? 0) > LAGGING_S) h.attention.push("lagging");
    hosts.push(h);
  }
  hosts.sort((x, y) => rank(x) - rank(y) || (y.quiet_s ?? Infinity) - (x.quiet_s ?? Infinity) || y.error_share - x.error_share || x.host.localeCompare(y.host));
  return { hosts, silent_after_s: threshold, inactivity_alert: watcher?.name ?? null };
}
