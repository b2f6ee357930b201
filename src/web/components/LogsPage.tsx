// Logs: every log with its volume; create one and get its ingest token with copy-ready commands
// for each way to ship to it.
import { useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import type { LogJson } from "../types.js";

export function shipCommands(token: string, origin = location.origin, host = location.hostname): Array<{ title: string; text: string }> {
  const h = host.includes(":") ? `[${host}]` : host;
  return [
    {
      title: "logharbor ship (no loss, no duplicates)",
      text: `logharbor ship --journal journalctl --to ${origin} --token ${token} --state /var/lib/logharbor`,
    },
    {
      title: "Docker one-liner",
      text:
        `docker run -d --name logharbor-ship --restart=always \\\n` +
        `  -v /var/log/journal:/var/log/journal:ro -v /run/log/journal:/run/log/journal:ro \\\n` +
        `  -v /etc/machine-id:/etc/machine-id:ro -v logharbor-state:/var/lib/logharbor \\\n` +
        `  -e LOGHARBOR_TOKEN=${token} logharbor/logharbor ship --journal journalctl --to ${origin}`,
    },
    {
      title: "systemd unit (fleet: keep the [X-Fleet] section to run it on every machine)",
      text:
        `# /etc/systemd/system/logharbor-ship.service\n[Unit]\nDescription=Forward the journal to ${origin}\n` +
        `After=network-online.target\nWants=network-online.target\n\n[Service]\nEnvironment=LOGHARBOR_TOKEN=${token}\n` +
        `ExecStart=/usr/bin/logharbor ship --journal journalctl --to ${origin} --state /var/lib/logharbor\n` +
        `StateDirectory=logharbor\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n\n[X-Fleet]\nGlobal=true`,
    },
    {
      title: "systemd-journal-upload",
      text: `systemd-journal-upload --save-state --url=${origin}/t/${token}\n# or in /etc/systemd/journal-upload.conf:\n[Upload]\nURL=${origin}/t/${token}`,
    },
    {
      title: "logger (syslog; needs `logharbor serve --syslog-tcp :5140`)",
      text: `logger --tcp --server ${h} --port 5140 "${token} hello from $(hostname)"`,
    },
    {
      title: "Logentries client (le_node) or any token-TCP sender (port 10000)",
      text:
        `// npm install le_node\nconst Logger = require("le_node");\n` +
        `const log = new Logger({ token: "${token}", host: "${host}", port: 10000, secure: false });\nlog.info("hello");\n\n` +
        `# or from a shell:\necho "${token} hello" | nc ${h} 10000`,
    },
    {
      title: "HTTP webhook (curl)",
      text: `curl -X POST --data-binary 'hello' ${origin}/noformat/logs/${token}`,
    },
  ];
}

function Copy(p: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="btn small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(p.text);
        } catch {
          /* not a secure context: the text is selectable */
        }
        setDone(true);
        setTimeout(() => setDone(false), 1200);
      }}
    >
      {done ? "Copied" : p.label ?? "Copy"}
    </button>
  );
}

export function TokenPanel(p: { log: LogJson }) {
  return (
    <div class="token-panel" data-log={p.log.name}>
      <div class="token-line">
        <span>Ingest token of <strong>{p.log.name}</strong>:</span>
        <code class="token">{p.log.token}</code>
        <Copy text={p.log.token} />
      </div>
      <p class="muted">Keep it secret: anyone with the token can write to this log (never read it). Ship to it with any of:</p>
      {shipCommands(p.log.token).map((c) => (
        <div class="command">
          <div class="command-head">
            <span>{c.title}</span>
            <Copy text={c.text} />
          </div>
          <pre>{c.text}</pre>
        </div>
      ))}
    </div>
  );
}

export function LogsPage(p: { onSearchLog(name: string): void }) {
  const [logs, setLogs] = useState<LogJson[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [name, setName] = useState("");
  const [shown, setShown] = useState<LogJson | undefined>();

  const load = async () => {
    try {
      setLogs(await api.listLogs());
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const log = await api.createLog(name.trim());
      setShown(log);
      setName("");
      setError(undefined);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div class="logs-page">
      <form class="create-log" onSubmit={create}>
        <label>
          New log <input name="log-name" value={name} placeholder="e.g. production" pattern="[A-Za-z0-9._\-]{1,64}" required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn primary">Create log</button>
      </form>
      {error && <div class="error" role="alert">{error}</div>}
      {shown && <TokenPanel log={shown} />}
      <table class="logs-table">
        <thead>
          <tr>
            <th>Log</th>
            <th class="num">Entries</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(logs ?? []).map((l) => (
            <tr data-log={l.name}>
              <td>
                <a href={`?q=&log=${encodeURIComponent(l.name)}&from=all`} onClick={(e) => { e.preventDefault(); p.onSearchLog(l.name); }}>{l.name}</a>
              </td>
              <td class="num">{(l.events ?? 0).toLocaleString()}</td>
              <td>{new Date(l.created_at).toLocaleString()}</td>
              <td>
                <button type="button" class="btn small" onClick={() => setShown(shown?.id === l.id ? undefined : l)}>
                  {shown?.id === l.id ? "Hide token" : "Token & commands"}
                </button>
              </td>
            </tr>
          ))}
          {logs && logs.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">No logs yet: create one above.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
