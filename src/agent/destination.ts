// --to URL: where the agent ships entries. http(s):// is our own acknowledged batch API; the other
// forms are recognised (so a typo is told apart from a destination not built yet).
import { LogharborError } from "../core/errors.js";

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
    }
  | { kind: "logentries" | "syslog"; transport: "tls" | "tcp" | "udp"; host: string; port: number; display: string }
  | { kind: "loki" | "elasticsearch"; url: URL; display: string }
  | { kind: "file"; path: string; display: string }
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
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port };
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
      for (const [k, v] of url.searchParams) {
        if (k !== "token") bad(input, `unknown query parameter "${k}" (only ?token= is accepted)`);
        urlToken = v;
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
      return { kind: "harbor", ingestUrl: base, token: flagToken ?? urlToken, display: base.origin + prefix.replace(INGEST_PATH, "") };
    }
    case "logentries+tls":
    case "logentries+tcp":
    case "syslog+tcp":
    case "syslog+tls":
    case "syslog+udp": {
      const [kind, transport] = scheme.split("+") as ["logentries" | "syslog", "tls" | "tcp" | "udp"];
      const { host, port } = hostPort(input, url);
      return { kind, transport, host, port, display: `${scheme}://${url.host}` };
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
      return { kind: "file", path, display: `file://${path}` };
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
