// Which Logentries token (which log) an entry goes to: the first --token-map rule that matches it,
// else the default token. A rule is KEY:VALUE=TOKEN with KEY one of
//   unit        _SYSTEMD_UNIT  ("nginx" also matches nginx.service)
//   identifier  SYSLOG_IDENTIFIER
//   container   CONTAINER_NAME
// Without a default token, an entry no rule matches is not shipped (counted, see the sink).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_CONTAINER_NAME, FIELD_SYSLOG_IDENTIFIER, FIELD_SYSTEMD_UNIT } from "../../../core/journal/fields.js";

export const ROUTE_KEYS = { unit: FIELD_SYSTEMD_UNIT, identifier: FIELD_SYSLOG_IDENTIFIER, container: FIELD_CONTAINER_NAME } as const;
export type RouteKey = keyof typeof ROUTE_KEYS;

export interface TokenRule {
  key: RouteKey;
  value: string;
  token: string;
}

export interface TokenRoutes {
  defaultToken: string | undefined;
  rules: readonly TokenRule[];
}

const UUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Logentries tokens are UUIDs; a receiver drops a line whose token is not one. */
export function isLogentriesToken(t: string): boolean {
  return UUID.test(t);
}

/** Parses one --token-map value; a string is the problem (never echoing the token). */
export function parseTokenRule(spec: string): TokenRule | string {
  const m = /^([a-z]+):(.+)=([^=]*)$/.exec(spec);
  const keys = Object.keys(ROUTE_KEYS).join(", ");
  if (!m) return `--token-map: expected KEY:VALUE=TOKEN with KEY one of ${keys} (e.g. unit:nginx.service=TOKEN), got ${JSON.stringify(spec.replace(/=[^=]*$/, "=***"))}`;
  const [, key, value, token] = m as unknown as [string, string, string, string];
  if (!(key in ROUTE_KEYS)) return `--token-map: unknown key "${key}", expected one of ${keys}`;
  if (!isLogentriesToken(token)) return `--token-map ${key}:${value}: the token must be a UUID (8-4-4-4-12 hex digits), got ${token.length} characters that are not one`;
  return { key: key as RouteKey, value, token };
}

function matches(entry: ExportEntry, r: TokenRule): boolean {
  const v = entry.get(ROUTE_KEYS[r.key]);
  if (v === undefined) return false;
  return v === r.value || (r.key === "unit" && !r.value.includes(".") && v === `${r.value}.service`);
}

export function tokenFor(entry: ExportEntry, routes: TokenRoutes): string | undefined {
  for (const r of routes.rules) if (matches(entry, r)) return r.token;
  return routes.defaultToken;
}
