// Who may call the read/manage API (/api/v1/* except ingest, which takes log tokens).
// - A listener bound to a loopback address trusts this machine: calls without a key are allowed
//   (a key, when sent, is still checked and its limits apply) — unless the request was relayed by a
//   proxy (Forwarded / X-Forwarded-For / X-Real-IP), which needs a key like any remote caller.
//   Browser pages are kept out by browser-guard.ts (Host, Origin, Sec-Fetch-Site, JSON bodies).
// - Otherwise every call needs an API key in the x-api-key header; revoked and expired keys are refused.
// - Roles: read-only keys may only GET (and HEAD), and POST to routes that only read (queries);
//   read-write keys may change logs, tokens and saved queries; admin keys also manage API keys
//   (routes with `config: { admin: true }`). A keyless loopback caller may do everything.
// - Only callers that may manage logs see ingest tokens (mayManage).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { ApiKeyInfo, Store } from "../storage/store.js";
import { checkBrowserRequest, type BrowserPolicy } from "./browser-guard.js";

export interface AccessRequest {
  method: string;
  /** The x-api-key header as sent (undefined when absent). */
  apiKey: string | undefined;
  /** False when the listener is bound to a loopback address and keys are optional. */
  requireKey: boolean;
  /** The route manages API keys: admin keys only. */
  admin?: boolean;
  /** The request came through a proxy (Forwarded, X-Forwarded-For or X-Real-IP). */
  relayed?: boolean;
}

/** What the caller of a request may do, once let in. */
export interface Access {
  /** undefined: a keyless caller on a loopback listener. */
  key: ApiKeyInfo | undefined;
  /** May change logs and see their ingest tokens. */
  mayManage: boolean;
}

/** Keys in an answer to a caller that may not see them are left out (GET /api/v1/logs). */
export function mayManage(key: ApiKeyInfo | undefined): boolean {
  return key === undefined || !key.readOnly;
}

/** The caller's key (undefined when keyless) when allowed, else the error to answer with. */
export function checkAccess(
  store: Pick<Store, "apiKeyBySecret">, req: AccessRequest,
): LogharborError | { key: ApiKeyInfo | undefined } {
  if (req.apiKey === undefined || req.apiKey === "") {
    if (req.requireKey) {
      return new LogharborError("LH_ERR_API_KEY", "x-api-key header: an API key is required on a server reachable from other machines; create one with `logharbor keys create` (the first admin key is in DATA_DIR/admin-api-key)", { status: 401 });
    }
    if (req.relayed === true) {
      return new LogharborError("LH_ERR_API_KEY", "x-api-key header: this request was relayed by a proxy (Forwarded / X-Forwarded-For), so it needs an API key even on a loopback listener", { status: 401 });
    }
    return { key: undefined };
  }
  const key = store.apiKeyBySecret(req.apiKey);
  if (!key) return new LogharborError("LH_ERR_API_KEY", "x-api-key header: the API key is not known (revoked, expired, mistyped, or from another server)", { status: 401 });
  if (key.readOnly && req.method !== "GET" && req.method !== "HEAD") {
    return new LogharborError("LH_ERR_FORBIDDEN", `${req.method}: the API key is read-only and may only read (GET); use a read-write key`, { status: 403 });
  }
  if (req.admin === true && !key.admin) {
    return new LogharborError("LH_ERR_FORBIDDEN", `${req.method}: managing API keys takes an admin key (such as the one in DATA_DIR/admin-api-key); key "${key.name}" is not one`, { status: 403 });
  }
  return { key };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const accessOfRequest = new WeakMap<FastifyRequest, Access>();

/** What the caller of a request under requireAccess may do. */
export function accessOf(req: FastifyRequest): Access {
  return accessOfRequest.get(req) ?? { key: undefined, mayManage: false };
}

/** Last-used times are written at most this often per key. */
export const TOUCH_INTERVAL_MS = 60_000;

/** Adds the checks to every route of `scope` (an encapsulated plugin holding the API routes). */
export function requireAccess(scope: FastifyInstance, store: Store, requireKey: boolean, browser?: BrowserPolicy): void {
  const touched = new Map<string, number>();
  scope.addHook("onRequest", async (req) => {
    if (browser) {
      const length = header(req, "content-length");
      const refused = checkBrowserRequest({
        method: req.method,
        host: header(req, "host"),
        origin: header(req, "origin"),
        secFetchSite: header(req, "sec-fetch-site"),
        contentType: header(req, "content-type"),
        hasBody: (length !== undefined && length !== "0") || header(req, "transfer-encoding") !== undefined,
      }, browser);
      if (refused) throw refused;
    }
    // Routes that only read but take a body (queries) say so with `config: { readOnly: true }`.
    const config = req.routeOptions.config as { readOnly?: boolean; admin?: boolean } | undefined;
    const relayed = ["forwarded", "x-forwarded-for", "x-real-ip"].some((h) => header(req, h) !== undefined);
    const r = checkAccess(store, {
      method: config?.readOnly === true ? "GET" : req.method, apiKey: header(req, "x-api-key"), requireKey,
      admin: config?.admin === true, relayed,
    });
    if (r instanceof LogharborError) throw r;
    accessOfRequest.set(req, { key: r.key, mayManage: mayManage(r.key) });
    if (r.key) {
      const now = Date.now();
      const last = touched.get(r.key.id) ?? r.key.lastUsedAt ?? 0;
      if (now - last >= TOUCH_INTERVAL_MS) {
        touched.set(r.key.id, now);
        try {
          store.touchApiKey(r.key.id, now);
        } catch (err) {
          // A last-used time is not worth failing the call for (a full disk, say).
          req.log.warn({ keyId: r.key.id, err: (err as Error).message }, "could not record an API key's last use");
        }
      }
    }
  });
}
