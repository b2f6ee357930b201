// Logs: every log with its volume and token state; create one and get its ingest token with
// copy-ready commands for each way to ship to it; rotate a token (the old one keeps working for a
// chosen grace period) or revoke it (refused at once on every protocol).
import { useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import type { LogJson } from "../../core/api-json.js";
import { agentSnippets } from "../agent-snippets.js";

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
        `# The token in a file only root reads (not in the unit, which every user may read):\n` +
        `#   install -D -m 600 /dev/null /etc/logharbor/ship.env && echo 'LOGHARBOR_TOKEN=${token}' > /etc/logharbor/ship.env\n` +
        `# /etc/systemd/system/logharbor-ship.service\n[Unit]\nDescription=Forward the journal to ${origin}\n` +
        `After=network-online.target\nWants=network-online.target\n\n[Service]\nEnvironmentFile=/etc/logharbor/ship.env\n` +
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
    ...streamCommands(token, h),
    ...agentSnippets(token, origin),
  ];
}

/** Docker's log drivers, Fluent Bit, Fluentd and Vector over the forward protocol and GELF (docs/ingest.md). */
export function streamCommands(token: string, h: string): Array<{ title: string; text: string }> {
  return [
    {
      title: "Docker fluentd log driver (needs `logharbor serve --forward :24224`)",
      text: `docker run --log-driver=fluentd --log-opt fluentd-address=${h}:24224 \\\n  --log-opt tag="${token}.{{.Name}}" --log-opt fluentd-async=true IMAGE`,
    },
    {
      title: "Docker gelf log driver (needs `logharbor serve --gelf-udp :12201`)",
      text: `docker run --log-driver=gelf --log-opt gelf-address=udp://${h}:12201 \\\n  --log-opt tag="${token}.{{.Name}}" --log-opt gelf-compression-type=gzip IMAGE`,
    },
    {
      title: "Fluent Bit forward output (needs `logharbor serve --forward :24224 --forward-auth`)",
      text: `[OUTPUT]\n    Name                 forward\n    Match                *\n    Host                 ${h}\n    Port                 24224\n    Shared_Key           ${token}\n    Self_Hostname        \${HOSTNAME}\n    Require_ack_response true`,
    },
    {
      title: "Fluentd out_forward (needs `logharbor serve --forward :24224 --forward-auth`)",
      text: `<match **>\n  @type forward\n  require_ack_response true\n  <security>\n    self_hostname "#{Socket.gethostname}"\n    shared_key ${token}\n  </security>\n  <server>\n    host ${h}\n    port 24224\n  </server>\n</match>`,
    },
    {
      title: "Vector, GELF over TCP (needs `logharbor serve --gelf-tcp :12201`)",
      text:
        `[transforms.to_gelf]\ntype = "remap"\ninputs = ["my_source"]\nsource = '''\n._token = "${token}"\n.short_message = string(.message) ?? encode_json(.)\n.host = get_hostname!()\n.version = "1.1"\n'''\n\n` +
        `[sinks.logharbor]\ntype = "socket"\ninputs = ["to_gelf"]\nmode = "tcp"\naddress = "${h}:12201"\nencoding.codec = "gelf"\nframing.method = "character_delimited"\nframing.character_delimited.delimiter = "\\u0000"`,
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

/** Grace periods offered when rotating (seconds); the API takes 0 to 7 days. */
export const GRACE_CHOICES: Array<{ label: string; seconds: number }> = [
  { label: "refuse the old token at once", seconds: 0 },
  { label: "keep the old token 5 minutes", seconds: 300 },
  { label: "keep the old token 15 minutes", seconds: 900 },
  { label: "keep the old token 1 hour", seconds: 3600 },
  { label: "keep the old token 24 hours", seconds: 86_400 },
];

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

export function tokenState(l: LogJson): string {
  if (l.token === undefined) return "hidden (read-only key)";
  if (l.token === null) return "revoked";
  return l.previous_token_valid_until ? `rotated; old token until ${when(l.previous_token_valid_until)}` : "active";
}

/** Rotate and revoke, with a second click to confirm a revocation (it stops every sender at once). */
function TokenActions(p: { log: LogJson; onChanged(log: LogJson): void }) {
  const [grace, setGrace] = useState(900);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const act = async (f: () => Promise<LogJson>) => {
    setBusy(true);
    try {
      p.onChanged(await f());
      setError(undefined);
      setConfirming(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const revoked = p.log.token === null;
  return (
    <div class="token-actions">
      <div class="token-action">
        {/* A revoked token is refused already: there is no old token to keep. */}
        {!revoked && (
          <select name="grace" aria-label="grace period" value={grace} onChange={(e) => setGrace(Number(e.currentTarget.value))}>
            {GRACE_CHOICES.map((c) => <option value={c.seconds}>{c.label}</option>)}
          </select>
        )}
        <button type="button" class="btn" disabled={busy} onClick={() => void act(() => api.rotateToken(p.log.id, revoked ? 0 : grace))}>
          {revoked ? "Issue a new token" : "Rotate token"}
        </button>
        {!revoked && !confirming && (
          <button type="button" class="btn danger" disabled={busy} onClick={() => setConfirming(true)}>Revoke token…</button>
        )}
        {confirming && (
          <span class="confirm" role="alert">
            Refuse every token of <strong>{p.log.name}</strong> now, on every protocol?{" "}
            <button type="button" class="btn danger" disabled={busy} onClick={() => void act(() => api.revokeToken(p.log.id, false))}>Revoke now</button>{" "}
            <button type="button" class="btn" onClick={() => setConfirming(false)}>Cancel</button>
          </span>
        )}
      </div>
      {p.log.previous_token_valid_until && (
        <p class="previous-token">
          The previous token is accepted until {when(p.log.previous_token_valid_until)}: move every sender to the new one before then.{" "}
          <button type="button" class="btn small" disabled={busy} onClick={() => void act(() => api.revokeToken(p.log.id, true))}>Refuse it now</button>
        </p>
      )}
      {error && <div class="error" role="alert">{error}</div>}
    </div>
  );
}

export function TokenPanel(p: { log: LogJson; onChanged(log: LogJson): void }) {
  const token = p.log.token;
  if (token === undefined) {
    return (
      <div class="token-panel" data-log={p.log.name} data-state="hidden">
        <p class="token-line">
          The ingest token of <strong>{p.log.name}</strong> is shown only to keys that may manage logs: this page uses a read-only key.
        </p>
      </div>
    );
  }
  return (
    <div class="token-panel" data-log={p.log.name} data-state={token === null ? "revoked" : "active"}>
      {token === null ? (
        <p class="token-line">
          The ingest token of <strong>{p.log.name}</strong> was revoked{p.log.token_revoked_at ? ` on ${when(p.log.token_revoked_at)}` : ""}: every
          sender is refused until a new token is issued.
        </p>
      ) : (
        <div class="token-line">
          <span>Ingest token of <strong>{p.log.name}</strong>:</span>
          <code class="token">{token}</code>
          <Copy text={token} />
        </div>
      )}
      <TokenActions log={p.log} onChanged={p.onChanged} />
      {token !== null && <p class="muted">Keep it secret: anyone with the token can write to this log (never read it). Ship to it with any of:</p>}
      {token !== null &&
        shipCommands(token).map((c) => (
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
      {shown && (
        <TokenPanel
          key={shown.id}
          log={shown}
          onChanged={(l) => {
            setShown(l);
            void load();
          }}
        />
      )}
      <table class="logs-table">
        <thead>
          <tr>
            <th>Log</th>
            <th class="num">Entries</th>
            <th title="How long the log keeps its entries (logharbor logs retention)">Retention</th>
            <th>Created</th>
            <th>Token</th>
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
              <td class="retention">{l.retention ?? "server's"}</td>
              <td>{new Date(l.created_at).toLocaleString()}</td>
              <td class="token-state" data-state={l.token === undefined ? "hidden" : l.token === null ? "revoked" : l.previous_token_valid_until ? "rotated" : "active"}>{tokenState(l)}</td>
              <td>
                <button type="button" class="btn small" onClick={() => setShown(shown?.id === l.id ? undefined : l)}>
                  {shown?.id === l.id ? "Hide token" : "Token & commands"}
                </button>
              </td>
            </tr>
          ))}
          {logs && logs.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">No logs yet: create one above.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
