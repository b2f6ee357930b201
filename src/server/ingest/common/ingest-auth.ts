// Which log an HTTP ingest request is for, one rule for every HTTP protocol (the agent's batch API,
// journal upload, OTLP, Loki, Elasticsearch): the log's ingest token, taken from the first of
//   - `Authorization: Bearer TOKEN`;
//   - `Authorization: Basic ...` (base64 of user:password): the password, any user name; with an
//     empty password, the user name (clients that have only a "user" setting);
//   - `Authorization: ApiKey ...` (Elasticsearch API keys): the key as given, or the key part of
//     base64(id:key), so Filebeat's `api_key: "any:TOKEN"` works;
//   - the protocol's tenant header, where it has one (Loki's `X-Scope-OrgID`);
//   - `?token=TOKEN`.
// No token: 401 LH_ERR_TOKEN_MISSING; a token that is no log's: 403 LH_ERR_TOKEN_UNKNOWN. Tokens are
// looked up through the cached TokenResolver (a revoked token is refused at once). Never log a token.
import type { IncomingHttpHeaders } from "node:http";
import { LogharborError } from "../../../core/errors.js";
import type { LogInfo, Store } from "../../storage/store.js";
import { TokenResolver } from "./token-resolver.js";

export interface TokenSources {
  /** A header that carries the token as the tenant (lower case), e.g. "x-scope-orgid". */
  tenantHeader?: string;
}

function credentialsOf(b64: string): [string, string] | undefined {
  const text = Buffer.from(b64, "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : [text.slice(0, colon), text.slice(colon + 1)];
}

function tokenOfAuthorization(auth: string): string | undefined {
  const m = /^(Bearer|Basic|ApiKey)\s+(\S+)\s*$/i.exec(auth);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!;
  if (scheme === "bearer") return value;
  if (scheme === "basic") {
    const c = credentialsOf(value);
    if (c === undefined) return undefined;
    return c[1] !== "" ? c[1] : c[0] !== "" ? c[0] : undefined;
  }
  // ApiKey: the token itself, or base64("id:TOKEN").
  if (/^[0-9a-fA-F-]{36}$/.test(value)) return value;
  const c = credentialsOf(value);
  return c !== undefined && c[1] !== "" ? c[1] : value;
}

/** The token a request carries, or undefined. */
export function tokenOfRequest(headers: IncomingHttpHeaders, query: unknown, sources: TokenSources = {}): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined && auth !== "") {
    const t = tokenOfAuthorization(auth);
    if (t !== undefined) return t;
  }
  if (sources.tenantHeader !== undefined) {
    const v = headers[sources.tenantHeader];
    const t = Array.isArray(v) ? v[0] : v;
    if (t !== undefined && t.trim() !== "") return t.trim();
  }
  const q = (query as Record<string, unknown> | undefined)?.["token"];
  return typeof q === "string" && q !== "" ? q : undefined;
}

/** Where a protocol's documentation says to put the token, for the error messages. */
const HOW = "send the log's ingest token as `Authorization: Bearer TOKEN` or as the password of basic auth (any user name)";

/** Resolves requests to logs for one or more HTTP protocols (one cache per server part). */
export class IngestAuth {
  private readonly tokens: TokenResolver;

  constructor(store: Store) {
    this.tokens = new TokenResolver(store);
  }

  /** The log of the request; throws 401 / 403 LogharborErrors naming `protocol` and where the token goes. */
  logOf(req: { headers: IncomingHttpHeaders; query: unknown }, protocol: string, sources: TokenSources = {}): LogInfo {
    const token = tokenOfRequest(req.headers, req.query, sources);
    const also = sources.tenantHeader !== undefined ? ` (or as ${sources.tenantHeader === "x-scope-orgid" ? "X-Scope-OrgID" : sources.tenantHeader})` : "";
    if (token === undefined) {
      throw new LogharborError("LH_ERR_TOKEN_MISSING", `${protocol}: no ingest token; ${HOW}${also}`, { status: 401 });
    }
    const log = this.tokens.resolve(token);
    if (!log) {
      throw new LogharborError("LH_ERR_TOKEN_UNKNOWN", `${protocol}: the token is not the ingest token of any log; \`logharbor logs list\` shows the tokens`, { status: 403 });
    }
    return log;
  }
}
