// What keeps a web page in the operator's browser from using the read/manage API (the server's
// own page, same origin, keeps working). Applied to every /api/v1 route besides ingest:
// - Host: on a server that trusts loopback callers without a key, the Host header must name this
//   machine (localhost, 127.0.0.0/8, [::1], the bound host) or a name given with --allowed-host:
//   a DNS-rebinding page (Host: rebind.attacker.example) gets 403 LH_ERR_HOST and nothing else.
//   A server that needs keys checks Host only when --allowed-host names are given.
// - Cross-origin: a request that changes state (anything but GET/HEAD/OPTIONS) is refused with
//   403 LH_ERR_ORIGIN when the browser says it comes from another site (Sec-Fetch-Site other than
//   same-origin or none) or its Origin is not this server's (Origin's host differs from Host, or "null").
// - Content type: a state-changing request with a body must send Content-Type: application/json
//   (415 LH_ERR_CONTENT_TYPE), which a page cannot send cross-origin without a CORS preflight,
//   and this server answers no preflight.
// Requests without Origin and Sec-Fetch-Site (curl, the CLI, scripts) pass the cross-origin rule.
import { LogharborError } from "../../core/errors.js";
import { isLoopbackHost } from "../../core/host.js";

export interface BrowserPolicy {
  /** Check the Host header against `allowedHosts` + this machine's loopback names. */
  checkHost: boolean;
  /** Lower-case host names (without port) accepted in Host besides loopback names. */
  allowedHosts: ReadonlySet<string>;
}

export interface BrowserRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  contentType: string | undefined;
  /** True when the request carries a body (Content-Length > 0 or chunked). */
  hasBody: boolean;
}

/** The policy of a listener bound to `boundHost`; keyless = loopback callers need no key. */
export function browserPolicy(boundHost: string, keyless: boolean, allowedHosts: readonly string[] = []): BrowserPolicy {
  const names = new Set(allowedHosts.map((h) => hostnameOf(h)));
  if (boundHost !== "0.0.0.0" && boundHost !== "::" && boundHost !== "") names.add(hostnameOf(boundHost));
  return { checkHost: keyless || allowedHosts.length > 0, allowedHosts: names };
}

/** "Example.COM:8080" → "example.com", "[::1]:80" → "[::1]", "::1" → "[::1]". */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  if ((h.match(/:/g) ?? []).length > 1) return `[${h}]`;
  const colon = h.indexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** undefined when allowed, else the error to answer with. */
export function checkBrowserRequest(req: BrowserRequest, policy: BrowserPolicy): LogharborError | undefined {
  if (policy.checkHost) {
    const name = req.host === undefined ? "" : hostnameOf(req.host);
    if (!(isLoopbackHost(name) || policy.allowedHosts.has(name))) {
      return new LogharborError(
        "LH_ERR_HOST",
        `Host header: "${(req.host ?? "").slice(0, 100)}" is not a name of this server; use http://127.0.0.1, http://localhost or a name given with \`serve --allowed-host\``,
        { status: 403 },
      );
    }
  }
  if (SAFE_METHODS.has(req.method)) return undefined;
  const site = req.secFetchSite?.toLowerCase();
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return new LogharborError("LH_ERR_ORIGIN", `${req.method}: refused a ${site} request: a page from another origin may not change this server (Sec-Fetch-Site: ${site})`, { status: 403 });
  }
  if (req.origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = req.origin === "null" ? undefined : new URL(req.origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== (req.host ?? "").toLowerCase()) {
      return new LogharborError("LH_ERR_ORIGIN", `${req.method}: refused a request from origin ${JSON.stringify(req.origin.slice(0, 100))}: only this server's own page may change it`, { status: 403 });
    }
  }
  if (req.hasBody && !isJson(req.contentType)) {
    return new LogharborError(
      "LH_ERR_CONTENT_TYPE",
      `Content-Type: the API takes JSON bodies (application/json), got ${req.contentType === undefined ? "none" : JSON.stringify(req.contentType.slice(0, 100))}`,
      { status: 415 },
    );
  }
  return undefined;
}
