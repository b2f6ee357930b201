// Alerts: every alert with its state, when it last fired and a sparkline of its matches over the last
// hour; its history on a click; create one (also from the search page: "Alert on this query").
import { useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import type { AlertHistoryJson, AlertJson } from "../../core/api-json.js";
import { Sparkline } from "./Sparkline.js";

export interface AlertDraft {
  query: string;
  log: string;
}

function triggerText(t: AlertJson["trigger"]): string {
  if (t.kind === "match") return `every match (at most 1 per ${t.throttle_s} s)`;
  if (t.kind === "inactivity") return `no entry for ${t.for_s} s per ${t.per}`;
  return `${t.calculated ? "value" : "count"} ${t.below ? "<" : ">"} ${t.count} in ${t.window_s} s`;
}

function CreateAlert({ draft, onCreated }: { draft: AlertDraft | undefined; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [query, setQuery] = useState(draft?.query ?? "");
  const [log, setLog] = useState(draft?.log ?? "");
  const [kind, setKind] = useState<"match" | "threshold" | "inactivity">("match");
  const [threshold, setThreshold] = useState("10");
  const [duration, setDuration] = useState("5m");
  const [webhook, setWebhook] = useState("");
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const trigger = kind === "match" ? { match: true } : kind === "threshold" ? { threshold: Number(threshold), window: duration } : { inactivity: duration };
    try {
      await api.createAlert({ name, query, log: log || undefined, webhook, ...trigger });
      setName("");
      onCreated();
    } catch (x) {
      setError((x as Error).message);
    }
  };
  return (
    <form class="create-alert" onSubmit={(e) => void submit(e)}>
      <h2>New alert</h2>
      <label>Name <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} required /></label>
      <label>Query <input name="query" value={query} placeholder="where(priority<=err)" onInput={(e) => setQuery(e.currentTarget.value)} /></label>
      <label>Log <input name="log" value={log} placeholder="all logs" onInput={(e) => setLog(e.currentTarget.value)} /></label>
      <label>
        Trigger{" "}
        <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
          <option value="match">every matching entry</option>
          <option value="threshold">count above a threshold</option>
          <option value="inactivity">no entry for a while</option>
        </select>
      </label>
      {kind === "threshold" && <label>Above <input name="threshold" value={threshold} size={6} onInput={(e) => setThreshold(e.currentTarget.value)} /></label>}
      {kind !== "match" && <label>{kind === "threshold" ? "In" : "For"} <input name="duration" value={duration} size={6} onInput={(e) => setDuration(e.currentTarget.value)} /></label>}
      <label>Webhook <input name="webhook" type="url" value={webhook} placeholder="https://hooks.example/alerts" onInput={(e) => setWebhook(e.currentTarget.value)} required /></label>
      <button type="submit" class="btn primary">Create alert</button>
      {error && <div class="error" role="alert">{error}</div>}
    </form>
  );
}

export function AlertsPage({ draft, onSearch }: { draft: AlertDraft | undefined; onSearch: (q: string, log: string) => void }) {
  const [alerts, setAlerts] = useState<AlertJson[] | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  const [history, setHistory] = useState<AlertHistoryJson[]>([]);
  const [error, setError] = useState<string | undefined>();
  const load = () => api.listAlerts().then(setAlerts, (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    const t = setInterval(() => void load(), 3000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (open) void api.alertHistory(open).then(setHistory, (e: Error) => setError(e.message));
  }, [open, alerts]);
  return (
    <div class="alerts-page">
      <CreateAlert draft={draft} onCreated={() => void load()} />
      {error && <div class="error">{error}</div>}
      <table class="logs-table alerts-table">
        <thead>
          <tr><th>Alert</th><th>State</th><th>Trigger</th><th>Last fired</th><th>Last hour</th><th /></tr>
        </thead>
        <tbody>
          {(alerts ?? []).map((a) => (
            <tr key={a.id} class="alert-row" data-status={a.status} data-name={a.name}>
              <td><a href="#" onClick={(e) => { e.preventDefault(); setOpen(open === a.name ? undefined : a.name); }}>{a.name}</a><div class="muted">{a.query || "every entry"}</div></td>
              <td class={`alert-status status-${a.status}`} title={a.error ?? ""}>{a.status}{a.firing.length > 0 ? ` (${a.firing.length})` : ""}</td>
              <td>{triggerText(a.trigger)}</td>
              <td>{a.last_fired ? new Date(a.last_fired).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "never"}</td>
              <td><Sparkline counts={a.sparkline} /></td>
              <td>
                <button type="button" class="btn small" onClick={() => onSearch(a.query, a.log.join(","))}>Search</button>{" "}
                <button type="button" class="btn small" onClick={() => void api.testAlert(a.name)}>Test</button>{" "}
                <button type="button" class="btn small danger" onClick={() => void api.deleteAlert(a.name).then(load)}>Delete</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {alerts?.length === 0 && <p class="muted">No alerts yet. Create one above, or from a search with "Alert on this query".</p>}
      {open && (
        <section class="alert-history">
          <h2>History of {open}</h2>
          <table class="logs-table">
            <tbody>
              {history.map((h, i) => (
                <tr key={i} data-kind={h.kind}><td>{h.at.replace("T", " ").slice(0, 19)} UTC</td><td>{h.kind}</td><td class="muted">{JSON.stringify(h.detail)}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
