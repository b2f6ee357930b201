// Hosts: every host that ships or shipped, the one that needs attention first (silent, its agent
// failing or not reporting, many errors, lagging); one click shows its latest entries.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import type { HostsJson } from "../../core/api-json.js";

function ago(s: number | null): string {
  if (s === null) return "never";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function HostsPage({ onSearchHost }: { onSearchHost: (host: string) => void }) {
  const [view, setView] = useState<HostsJson | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const load = () => api.listHosts().then(setView, (e: Error) => setError(e.message));
    void load();
    const t = setInterval(() => void load(), 5000);
    return () => clearInterval(t);
  }, []);
  return (
    <div class="hosts-page">
      {error && <div class="error">{error}</div>}
      {view && (
        <p class="muted">
          Silent: no entry for {view.silent_after_s} s{view.inactivity_alert ? ` (the inactivity alert "${view.inactivity_alert}")` : ""}.
        </p>
      )}
      <table class="logs-table hosts-table">
        <thead>
          <tr><th>Host</th><th>State</th><th>Last entry</th><th>Last hour</th><th>Errors</th><th>Agent</th><th>Lag</th><th>Agent error</th></tr>
        </thead>
        <tbody>
          {(view?.hosts ?? []).map((h) => (
            <tr key={h.host} class="host-row" data-host={h.host} data-silent={h.silent ? "true" : "false"}>
              <td><a href="#" onClick={(e) => { e.preventDefault(); onSearchHost(h.host); }}>{h.host}</a></td>
              <td class={h.silent ? "status-firing" : "status-ok"}>{h.silent ? "silent" : h.attention.length > 0 ? h.attention.join(", ") : "ok"}</td>
              <td title={h.last_entry ?? ""}>{ago(h.quiet_s)}</td>
              <td>{h.entries_1h.toLocaleString()}</td>
              <td>{h.entries_1h === 0 ? "–" : `${(h.error_share * 100).toFixed(1)} %`}</td>
              <td>{h.agent ? `${h.agent.version}${h.agent.reporting ? "" : " (not reporting)"}` : "–"}</td>
              <td>{h.agent?.lag_s === null || h.agent?.lag_s === undefined ? "–" : `${h.agent.lag_s.toFixed(1)} s`}</td>
              <td class="muted">{h.agent?.last_error ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view?.hosts.length === 0 && <p class="muted">No host has shipped anything yet.</p>}
    </div>
  );
}
