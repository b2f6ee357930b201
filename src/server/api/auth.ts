// Who may call the read/manage API (/api/v1/* except ingest, which takes log tokens).
// - A listener bound to a loopback address is open: only this machine can reach it, so calls
//   without a key are allowed (a key, when sent, is still checked and its limits apply).
// - Otherwise every call needs an API key in the x-api-key header.
// - Read-only keys may only GET (and HEAD), and POST to routes that only read (queries).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { LogharborError } from "../../core/errors.js";
import type { Store } from "../storage/store.js";

export interface AccessRequest {
  method: string;
  /** The x-api-key header as sent (undefined when absent). */
  apiKey: string | undefined;
  /** False when the listener is bound to a loopback address and keys are optional. */
  requireKey: boolean;
}

/** undefined when allowed, else the error to answer with. */
export function checkAccess(store: Pick<Store, "apiKeyBySecret">, req: AccessRequest): LogharborError | undefined {
  if (req.apiKey === undefined || req.apiKey === "") {
    return req.requireKey
      ? new LogharborError("LH_ERR_API_KEY", "x-api-key header: an API key is required on a server reachable from other machines; create one with `logharbor keys create` (the first admin key is in DATA_DIR/admin-api-key)", { status: 401 })
      : undefined;
  }
  const key = store.apiKeyBySecret(req.apiKey);
  if (!key) return new LogharborError("LH_ERR_API_KEY", "x-api-key header: the API key is not known (revoked, mistyped, or from another server)", { status: 401 });
  if (key.readOnly && req.method !== "GET" && req.method !== "HEAD") {
    return new LogharborError("LH_ERR_FORBIDDEN", `${req.method}: the API key is read-only and may only read (GET); use a read-write key`, { status: 403 });
  }
  return undefined;
}

function headerKey(req: FastifyRequest): string | undefined {
  const v = req.headers["x-api-key"];
  return Array.isArray(v) ? v[0] : v;
}

/** Adds the check to every route of `scope` (an encapsulated plugin holding the API routes). */
export function requireAccess(scope: FastifyInstance, store: Store, requireKey: boolean): void {
  scope.addHook("onRequest", async (req) => {
    // Routes that only read but take a body (queries) say so with `config: { readOnly: true }`.
    const readOnly = (req.routeOptions.config as { readOnly?: boolean } | undefined)?.readOnly === true;
    const err = checkAccess(store, { method: readOnly ? "GET" : req.method, apiKey: headerKey(req), requireKey });
    if (err) throw err;
  });
}
