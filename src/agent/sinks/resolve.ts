// A parsed --to destination plus the sink flags → everything its sink needs, every problem
// collected (config.ts reports them all at once). Tokens are never put in a problem message.
//   logentries: default token from --token, else LOGENTRIES_TOKEN, else ?token= (they may not
//               differ); --token-map KEY:VALUE=TOKEN (repeatable); --logentries-format (or
//               ?format=) message|json|short; --logentries-fields for json; --ca-file for TLS.
//   syslog:     ?format=rfc5424|rfc3164, ?max_bytes= (UDP), ?token=; --ca-file for TLS.
import type { Destination } from "../destination.js";
import type { SyslogFormat } from "../../core/wire/syslog.js";
import { caFileProblem } from "./common/tls-trust.js";
import { parseLineFormat, type LineFormat } from "./logentries/format.js";
import { isLogentriesToken, parseTokenRule, type TokenRoutes, type TokenRule } from "./logentries/routing.js";
import { DEFAULT_UDP_MAX_BYTES } from "./syslog/sink.js";
import { describeJsonSink, resolveJsonSink, type JsonDestination } from "./resolve-json.js";

export interface SinkFlags {
  token?: string;
  tokenMap?: string[];
  caFile?: string;
  logentriesFormat?: string;
  logentriesFields?: string;
}

export type HarborDestination = Extract<Destination, { kind: "harbor" }>;

export interface LogentriesDestination {
  kind: "logentries";
  transport: "tls" | "tcp";
  host: string;
  port: number;
  display: string;
  routes: TokenRoutes;
  format: LineFormat;
  caFile: string | undefined;
}

export interface SyslogDestination {
  kind: "syslog";
  transport: "tls" | "tcp" | "udp";
  host: string;
  port: number;
  display: string;
  format: SyslogFormat;
  maxBytes: number;
  token: string | undefined;
  caFile: string | undefined;
}

/** A destination this version ships to, with its settings resolved. */
export type SinkDestination = HarborDestination | LogentriesDestination | SyslogDestination | JsonDestination;

/** Resolves a destination for its sink; undefined when there were problems (pushed onto `problems`). */
export function resolveSink(d: Destination, f: SinkFlags, env: NodeJS.ProcessEnv, problems: string[]): SinkDestination | undefined {
  const before = problems.length;
  const caFile = f.caFile;
  if (caFile !== undefined) {
    const p = caFileProblem(caFile);
    if (p !== undefined) problems.push(p);
  }
  switch (d.kind) {
    case "harbor":
      if (d.token === undefined) problems.push(`--to ${d.display}: no ingest token; give --token TOKEN (or LOGHARBOR_TOKEN, or ?token= in the URL)`);
      if (f.tokenMap?.length) problems.push(`--token-map: applies only to logentries destinations, got --to ${d.display}`);
      return problems.length > before ? undefined : d;
    case "logentries": {
      const flagToken = f.token ?? (env["LOGENTRIES_TOKEN"] || undefined);
      if (flagToken !== undefined && d.token !== undefined && flagToken !== d.token) {
        problems.push(`--to ${d.display}: the URL's ?token= and ${f.token !== undefined ? "--token" : "LOGENTRIES_TOKEN"} differ; give the token once`);
      }
      const defaultToken = flagToken ?? d.token;
      if (defaultToken !== undefined && !isLogentriesToken(defaultToken)) {
        problems.push(`--to ${d.display}: a Logentries token is a UUID (8-4-4-4-12 hex digits); the token given (${defaultToken.length} characters) is not one`);
      }
      const rules: TokenRule[] = [];
      for (const spec of f.tokenMap ?? []) {
        const r = parseTokenRule(spec);
        if (typeof r === "string") problems.push(r);
        else rules.push(r);
      }
      if (defaultToken === undefined && rules.length === 0 && (f.tokenMap?.length ?? 0) === 0) {
        problems.push(`--to ${d.display}: no token; give --token TOKEN (or LOGENTRIES_TOKEN, or ?token= in the URL) and/or --token-map KEY:VALUE=TOKEN`);
      }
      if (f.logentriesFormat !== undefined && d.format !== undefined && f.logentriesFormat !== d.format) {
        problems.push(`--to ${d.display}: the URL's ?format=${d.format} and --logentries-format ${f.logentriesFormat} differ; give the format once`);
      }
      const format = parseLineFormat(f.logentriesFormat ?? d.format, f.logentriesFields);
      if (typeof format === "string") problems.push(format);
      if (caFile !== undefined && d.transport !== "tls") problems.push(`--ca-file: applies only to TLS destinations, got --to ${d.display}`);
      if (problems.length > before || typeof format === "string") return undefined;
      return { kind: "logentries", transport: d.transport, host: d.host, port: d.port, display: d.display, routes: { defaultToken, rules }, format, caFile };
    }
    case "syslog":
      if (caFile !== undefined && d.transport !== "tls") problems.push(`--ca-file: applies only to TLS destinations, got --to ${d.display}`);
      if (f.tokenMap?.length) problems.push(`--token-map: applies only to logentries destinations, got --to ${d.display}`);
      if (f.logentriesFormat !== undefined) problems.push(`--logentries-format: applies only to logentries destinations; for syslog use ?format=rfc5424|rfc3164 in the URL`);
      if (problems.length > before) return undefined;
      return {
        kind: "syslog", transport: d.transport, host: d.host, port: d.port, display: d.display, format: d.format,
        maxBytes: d.maxBytes ?? DEFAULT_UDP_MAX_BYTES, token: d.token, caFile,
      };
    default:
      if (caFile !== undefined && !("url" in d && d.url.protocol === "https:")) problems.push(`--ca-file: applies only to TLS destinations, got --to ${d.display}`);
      if (f.tokenMap?.length) problems.push(`--token-map: applies only to logentries destinations, got --to ${d.display}`);
      return resolveJsonSink(d, problems);
  }
}

/** The settings as --check prints them: tokens masked. */
export function describeSink(d: SinkDestination): Record<string, unknown> {
  switch (d.kind) {
    case "harbor":
      return { to: d.display, ingest_url: d.ingestUrl.href, token: d.token === undefined ? null : "***", compression: d.compression };
    case "logentries":
      return {
        to: d.display,
        token: d.routes.defaultToken === undefined ? null : "***",
        token_map: d.routes.rules.map((r) => `${r.key}:${r.value}=***`),
        format: d.format.kind,
        ...(d.format.kind === "json" ? { fields: d.format.fields } : {}),
        ...(d.transport === "tls" ? { ca_file: d.caFile ?? "system" } : {}),
      };
    case "loki":
    case "elasticsearch":
    case "file":
    case "stdout":
      return describeJsonSink(d);
    case "syslog":
      return {
        to: d.display,
        format: d.format,
        token: d.token === undefined ? null : "***",
        ...(d.transport === "udp" ? { max_bytes: d.maxBytes } : {}),
        ...(d.transport === "tls" ? { ca_file: d.caFile ?? "system" } : {}),
      };
  }
}
