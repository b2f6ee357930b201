// Drop-in for journal-2-logentries: `logharbor ship` with no --to and only its environment
//   LOGENTRIES_TOKEN           the token (required)
//   LOGENTRIES_URL             HOST:PORT of the token TLS endpoint (default data.logentries.com:443;
//                              journal-2-logentries defaulted to api.logentries.com:20000, the older
//                              name of the same service)
//   LOGENTRIES_JOURNAL_SOCKET  the gatewayd socket (default /run/journald.sock)
// follows the gatewayd socket and ships each entry over TLS as journal-2-logentries did (the
// `short` line, as gatewayd's text/plain output it forwarded), but keeps its cursor in the state
// directory and writes a batch again after a failed connection instead of dropping it.

export const DROPIN_DEFAULT_URL = "data.logentries.com:443";
export const DROPIN_DEFAULT_SOCKET = "/run/journald.sock";
export const DROPIN_FORMAT = "short";
/** journal-2-logentries' own words, so scripts and people that knew them still recognise them. */
export const DROPIN_TOKEN_MISSING =
  "non-empty input token (LOGENTRIES_TOKEN) is required. See https://logentries.com/doc/input-token (or give --to URL for another destination)";

export interface DropIn {
  /** The --to value. */
  to: string;
  /** The --journal value. */
  journal: string;
}

/** The drop-in settings from the environment; a string is the one problem (missing token, bad URL). */
export function dropInFromEnv(env: NodeJS.ProcessEnv): DropIn | string {
  const token = env["LOGENTRIES_TOKEN"];
  if (token === undefined || token.trim() === "") return DROPIN_TOKEN_MISSING;
  const raw = (env["LOGENTRIES_URL"] || DROPIN_DEFAULT_URL).trim();
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(?::(\d{1,5}))?$/.exec(raw);
  if (!m || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) {
    return `LOGENTRIES_URL: expected HOST:PORT of a Logentries token TLS endpoint (e.g. ${DROPIN_DEFAULT_URL}), got ${JSON.stringify(raw)}`;
  }
  const socket = env["LOGENTRIES_JOURNAL_SOCKET"] || DROPIN_DEFAULT_SOCKET;
  return { to: `logentries+tls://${m[1]}:${m[2] ?? "443"}`, journal: `gatewayd:${socket}` };
}
