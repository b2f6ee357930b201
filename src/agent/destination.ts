// --to URL: where the agent ships entries. http(s):// is our own acknowledged batch API; the other
// forms are recognised (so a typo is told apart from a destination not built yet).
import { LogharborError } from "../core/errors.js";
import { isLoopbackHost, unbracketHost } from "../core/host.js";

export const ACCEPTED_DESTINATIONS =
  "http(s)://server:port (logharbor, token via --token or ?token=), logentries+tls://host:port, logentries+tcp://host:port, " +
  "syslog+tcp://host:port, syslog+tls://host:port, syslog+udp://host:port, loki+http(s)://..., elasticsearch+http(s)://..., file:///path, stdout:";

export const INGEST_PATH = "/api/v1/ingest/journal";

export type Destination =
  | {
      kind: "harbor";
      /** The ingest endpoint, without any token. */
      ingestUrl: URL;
      token: string | undefined;
      /** Safe to log and print: the URL without its token. */
      display: string;
      /** ?compression=gzip|none|auto (default auto: none to a loopback address, where it only costs CPU; else gzip). */
      compression: "gzip" | "none";
    }
  | {
      kind: "logentries";
      transport: "tls" | "tcp";
      host: string;
      port: number;
      display: string;
      /** ?token=: the default token (--token and LOGENTRIES_TOKEN are the other ways). */
      token?: string;
      /** ?format=message|json|short (--logentries-format is the other way). */
      format?: string;
    }
  | {
      kind: "syslog";
      transport: "tls" | "tcp" | "udp";
      host: string;
      port: number;
      display: string;
      /** ?format=rfc5424 (default) | rfc3164 */
      format: "rfc5424" | "rfc3164";
      /** ?max_bytes=N: UDP only, the largest datagram (default 2048). */
      maxBytes?: number;
      /** ?token=: sent as [logharbor@32473 token="..."] for a logharbor server to route by. */
      token?: string;
    }
  | { kind: "loki" | "elasticsearch"; url: URL; display: string }
  | {
      kind: "file";
      path: string;
      display: string;
      /** ?max_bytes=N, ?max_files=N: rotation (checked by sinks/resolve-json.ts). */
      maxBytes?: string;
      maxFiles?: string;
    }
  | { kind: "stdout"; display: string };

function bad(input: string, why: string): never {
  throw new LogharborError("LH_ERR_DESTINATION", `--to: ${why}; got ${JSON.stringify(redactToken(input))}; accepted forms: ${ACCEPTED_DESTINATIONS}`);
}

/** The input with any token= parameter value masked, for error messages and logs. */
export function redactToken(input: string): string {
  return input.replace(/([?&]token=)[^&#]*/gi, "$1***");
}

function hostPort(input: string, url: URL, defaultPort?: number): { host: string; port: number } {
  if (!url.hostname) bad(input, "the URL has no host");
  const port = url.port ? Number(url.port) : defaultPort;
  if (port === undefined) bad(input, "a port is required");
  return { host: unbracketHost(url.hostname), port };
}

/** The query parameters of a line-protocol URL: only the allowed ones, each once, none empty. */
function lineQuery(input: string, url: URL, allowed: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    if (!allowed.includes(k)) bad(input, `unknown query parameter "${k}" (accepted here: ${allowed.map((a) => `?${a}=`).join(", ")})`);
    if (out.has(k)) bad(input, `?${k}= is given twice`);
    if (v === "") bad(input, `?${k}= is empty`);
    out.set(k, v);
  }
  return out;
}

/** Parses one --to value; `flagToken` is --token, which a ?token= in the URL may not contradict. */
export function parseDestination(input: string, flagToken?: string): Destination {
  const s = input.trim();
  if (s === "stdout:" || s === "stdout") return { kind: "stdout", display: "stdout:" };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    bad(input, "not a URL");
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  switch (scheme) {
    case "http":
    case "https": {
      hostPort(input, url, scheme === "https" ? 443 : 80);
      if (url.username || url.password) bad(input, "credentials in the URL are not supported; use --token");
      if (url.hash) bad(input, "a #fragment has no meaning here");
      let urlToken: string | undefined;
      let compression = "auto";
      for (const [k, v] of url.searchParams) {
        if (k === "token") urlToken = v;
        else if (k === "compression") compression = v;
        else bad(input, `unknown query parameter "${k}" (accepted here: ?token=, ?compression=)`);
      }
      if (compression !== "auto" && compression !== "gzip" && compression !== "none") {
        bad(input, `?compression=${compression} is not one of gzip, none, auto (auto: none to a loopback address, else gzip)`);
      }
      if (urlToken !== undefined && urlToken === "") bad(input, "?token= is empty");
      if (urlToken !== undefined && flagToken !== undefined && urlToken !== flagToken) {
        bad(input, "the URL's ?token= and --token differ; give the token once");
      }
      const base = new URL(url.href);
      base.search = "";
      const prefix = base.pathname.replace(/\/+$/, "");
      if (prefix.endsWith(INGEST_PATH)) base.pathname = prefix;
      else base.pathname = prefix + INGEST_PATH;
      return {
        kind: "harbor", ingestUrl: base, token: flagToken ?? urlToken, display: base.origin + prefix.replace(INGEST_PATH, ""),
        compression: compression === "auto" ? (isLoopbackHost(base.hostname) ? "none" : "gzip") : compression,
      };
    }
    case "logentries+tls":
    case "logentries+tcp":
    case "syslog+tcp":
    case "syslog+tls":
    case "syslog+udp": {
      const [kind, transport] = scheme.split("+") as ["logentries" | "syslog", "tls" | "tcp" | "udp"];
      const { host, port } = hostPort(input, url);
      if (url.username || url.password) bad(input, "credentials in the URL are not supported; give the token with --token or ?token=");
      if (url.hash) bad(input, "a #fragment has no meaning here");
      const q = lineQuery(input, url, kind === "logentries" ? ["token", "format"] : transport === "udp" ? ["token", "format", "max_bytes"] : ["token", "format"]);
      const display = `${scheme}://${url.host}`;
      const token = q.get("token");
      if (kind === "logentries") {
        return { kind, transport: transport as "tls" | "tcp", host, port, display, ...(token !== undefined ? { token } : {}), ...(q.has("format") ? { format: q.get("format")! } : {}) };
      }
      const format = q.get("format") ?? "rfc5424";
      if (format !== "rfc5424" && format !== "rfc3164") bad(input, `?format= must be rfc5424 or rfc3164, got ${JSON.stringify(format)}`);
      const mb = q.get("max_bytes");
      if (mb !== undefined && (!/^\d+$/.test(mb) || Number(mb) < 480 || Number(mb) > 65507)) bad(input, `?max_bytes= must be an integer from 480 to 65507, got ${JSON.stringify(mb)}`);
      return { kind, transport, host, port, display, format, ...(mb !== undefined ? { maxBytes: Number(mb) } : {}), ...(token !== undefined ? { token } : {}) };
    }
    case "loki+http":
    case "loki+https":
    case "elasticsearch+http":
    case "elasticsearch+https": {
      const [kind, inner] = scheme.split("+") as ["loki" | "elasticsearch", string];
      const target = new URL(`${inner}://${s.slice(s.indexOf("://") + 3)}`);
      hostPort(input, target, inner === "https" ? 443 : 80);
      return { kind, url: target, display: redactToken(s) };
    }
    case "file": {
      if (url.host) bad(input, "file URLs take an absolute path: file:///var/log/out.export");
      const path = decodeURIComponent(url.pathname);
      if (path === "/" || path.endsWith("/")) bad(input, "the file URL must name a file");
      const q = lineQuery(input, url, ["max_bytes", "max_files"]);
      return { kind: "file", path, display: `file://${path}`, ...(q.has("max_bytes") ? { maxBytes: q.get("max_bytes")! } : {}), ...(q.has("max_files") ? { maxFiles: q.get("max_files")! } : {}) };
    }
    default:
      bad(input, `unknown scheme "${scheme}:"`);
  }
}

/** Throws unless the destination is one this version can ship to. */
export function assertSupported(d: Destination): asserts d is Extract<Destination, { kind: "harbor" }> {
  if (d.kind !== "harbor") {
    throw new LogharborError("LH_ERR_DESTINATION", `--to ${d.display}: the ${d.kind} destination is not supported yet; use http(s)://server:port (logharbor)`);
  }
}
