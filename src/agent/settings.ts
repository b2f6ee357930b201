// Every setting of `logharbor ship`, once: its document key (snake_case, as in a --config file or an
// etcd key), its type, its flag and help. The command's options, the document parser's accepted keys
// and the reference table in docs/configuration.md are all derived from this table, so a setting
// cannot exist in one and be missing from another. The values are validated by config.ts (and the
// `transforms` list by transforms/config.ts), whichever layer they came from.
import type { ShipFlags } from "./config.js";

/** string: one value; strings: one or a list; boolean: true/false; integer: a whole number; transforms: the list of transforms/config.ts. */
export type SettingKind = "string" | "strings" | "boolean" | "integer" | "transforms";

export interface Setting {
  kind: SettingKind;
  /** The command-line form (commander syntax); absent: a document-only setting. */
  flag?: string;
  help: string;
  /** The default shown in --help (the resolution applies the real one). */
  shownDefault?: string;
  /** A path on each host: checked by each agent, not cluster-wide (`logharbor cluster set-config`). */
  hostLocal?: true;
  /** A command-line switch only (not accepted in documents). */
  cliOnly?: true;
}

export const SHIP_SETTINGS = {
  journal: { kind: "string", flag: "--journal <spec>", help: "gatewayd:/run/journald.sock | gatewayd:http://host:19531 | journalctl | files (read /run/log/journal and /var/log/journal directly) | files:DIR (default: the gatewayd socket if it exists, else journalctl if installed, else files)" },
  journal_dir: { kind: "string", flag: "--journal-dir <dir>", help: "journalctl: read the journal files in this directory", hostLocal: true },
  journal_file: { kind: "strings", flag: "--journal-file <file>", help: "journalctl: read this journal file (repeatable)", hostLocal: true },
  journal_namespace: { kind: "string", flag: "--journal-namespace <ns>", help: "journalctl: read this journal namespace" },
  journal_merge: { kind: "boolean", flag: "--journal-merge", help: "journalctl: read all journals, local and remote, merged" },
  to: {
    kind: "strings",
    flag: "--to <url>",
    help: "destination: http(s)://server:8080, logentries+tls|tcp://host:port, syslog+tcp|tls|udp://host:port[?format=rfc3164], loki+http(s)://, elasticsearch+http(s)://, file:///path, stdout: (repeatable: one lane each, in order; a transforms route chooses which entries each gets). Without --to: LOGENTRIES_TOKEN [LOGENTRIES_URL, LOGENTRIES_JOURNAL_SOCKET], as journal-2-logentries",
  },
  token: { kind: "string", flag: "--token <token>", help: "ingest token for http(s) destinations (or LOGHARBOR_TOKEN, or ?token= in the URL); the default token for logentries destinations (or LOGENTRIES_TOKEN)" },
  token_map: { kind: "strings", flag: "--token-map <key:value=token>", help: "logentries: the token for entries whose unit, identifier or container is VALUE, e.g. unit:nginx.service=TOKEN (repeatable; first match wins, else --token)" },
  logentries_format: { kind: "string", flag: "--logentries-format <format>", help: "logentries: message (MESSAGE alone; default) | json (selected journal fields) | short (journalctl -o short)" },
  logentries_fields: { kind: "string", flag: "--logentries-fields <names>", help: "logentries json: the journal fields, comma-separated (default MESSAGE,PRIORITY,_HOSTNAME,_SYSTEMD_UNIT,SYSLOG_IDENTIFIER,_PID,CONTAINER_NAME,__REALTIME_TIMESTAMP)" },
  ca_file: { kind: "string", flag: "--ca-file <file>", help: "TLS destinations: trust only the CA certificates in this PEM file (default: the system's CAs)", hostLocal: true },
  state: { kind: "string", flag: "--state <dir>", help: "directory for the checkpoint (or LOGHARBOR_STATE; default /var/lib/logharbor as root, else ./state)", hostLocal: true },
  start_at: { kind: "string", flag: "--start-at <where>", help: "without a checkpoint: boot | oldest | now | TIME (ISO-8601, -1h, ...)", shownDefault: "boot" },
  batch_max_entries: { kind: "integer", flag: "--batch-max-entries <n>", help: "entries per batch at most", shownDefault: "2000" },
  batch_max_bytes: { kind: "integer", flag: "--batch-max-bytes <n>", help: "bytes per batch at most (uncompressed)", shownDefault: String(4 * 1024 * 1024) },
  batch_max_ms: { kind: "integer", flag: "--batch-max-ms <ms>", help: "send a batch at most this long after its first entry", shownDefault: "500" },
  max_in_flight: { kind: "integer", flag: "--max-in-flight <n>", help: "batches sent and not yet acknowledged at most", shownDefault: "3" },
  exit_when_idle: { kind: "boolean", flag: "--exit-when-idle", help: "do not follow: exit 0 once the journal is exhausted and everything is acknowledged", cliOnly: true },
  buffer_max_bytes: { kind: "integer", flag: "--buffer-max-bytes <n>", help: "disk buffer per destination, bytes at most (STATE/buffer/)", shownDefault: String(256 * 1024 * 1024) },
  buffer_when_full: { kind: "string", flag: "--buffer-when-full <what>", help: "when the disk buffer is full: block (pause reading; the journal keeps the backlog) or drop_newest (counted)", shownDefault: "block" },
  metrics: { kind: "string", flag: "--metrics <host:port>", help: "serve Prometheus /metrics and /healthz there (off by default)" },
  log_level: { kind: "string", flag: "--log-level <level>", help: "our own logs (JSON on stderr): fatal, error, warn, info, debug, trace, silent", shownDefault: "info" },
  transforms: { kind: "transforms", help: "the transforms, in order: a list of one-key mappings (filter, redact, multiline, throttle, enrich); docs/transforms.md" },
} as const satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SHIP_SETTINGS;

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** Compile-time: every setting is a field of ShipFlags, and every field of ShipFlags is a setting. */
type Missing<A, B> = Exclude<A, B> extends never ? true : Exclude<A, B>;
const settingsCoverFlags: Missing<keyof ShipFlags, Camel<SettingKey>> = true;
const flagsCoverSettings: Missing<Camel<SettingKey>, keyof ShipFlags> = true;
void settingsCoverFlags;
void flagsCoverSettings;

/** batch_max_entries → batchMaxEntries (the ShipFlags field, and commander's attribute name). */
export function flagField(key: SettingKey): keyof ShipFlags {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof ShipFlags;
}

/** batchMaxEntries → batch_max_entries. */
export function settingKey(field: keyof ShipFlags): SettingKey {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as SettingKey;
}

/** batchMaxEntries → --batch-max-entries (how the command line spells it); a document-only setting → its key. */
export function flagName(field: keyof ShipFlags): string {
  const key = settingKey(field);
  return setting(key).flag === undefined ? key : `--${key.replace(/_/g, "-")}`;
}

export function setting(key: SettingKey): Setting {
  return SHIP_SETTINGS[key];
}

export const SETTING_KEYS = Object.keys(SHIP_SETTINGS) as SettingKey[];

/** The keys a document (file, etcd key) accepts. */
export const DOCUMENT_SETTING_KEYS: readonly SettingKey[] = SETTING_KEYS.filter((k) => !(setting(k).cliOnly ?? false));

const KIND_TEXT: Record<SettingKind, string> = {
  string: "a string",
  strings: "a string or a list of strings",
  boolean: "true or false",
  integer: "an integer",
  transforms: "a list of transforms (- filter: {...})",
};

export function describeKind(kind: SettingKind): string {
  return KIND_TEXT[kind];
}

/** The reference table of docs/configuration.md (a test keeps the docs equal to it). */
export function documentKeysTable(): string {
  const rows = DOCUMENT_SETTING_KEYS.map((k) => {
    const s = setting(k);
    const flag = s.flag === undefined ? "(document only)" : `\`${s.flag.split(" ")[0]}\``;
    const def = s.shownDefault === undefined ? "" : ` Default \`${s.shownDefault}\`.`;
    return `| \`${k}\` | ${flag} | ${KIND_TEXT[s.kind]} | ${s.help.replace(/\|/g, "\\|")}.${def} |`;
  });
  return ["| key | flag | type | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** What explicitFlags needs of a commander Command. */
export interface OptionSources {
  options: readonly { attributeName(): string }[];
  getOptionValueSource(key: string): string | undefined;
}

/**
 * The settings given on the command line, without commander's defaults (a default must not beat a
 * value from the environment, a file or etcd). Other options (--etcd, --check, ...) are left out.
 */
export function explicitFlags(cmd: OptionSources, all: Record<string, unknown>): Partial<ShipFlags> {
  const fields = new Set<string>(SETTING_KEYS.map(flagField));
  const out: Record<string, unknown> = {};
  for (const opt of cmd.options) {
    const key = opt.attributeName();
    if (fields.has(key) && cmd.getOptionValueSource(key) === "cli" && all[key] !== undefined) out[key] = all[key];
  }
  return out as Partial<ShipFlags>;
}
