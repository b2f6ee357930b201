import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import { checkAccess } from "./auth.js";
import { browserPolicy, checkBrowserRequest, type BrowserRequest } from "./browser-guard.js";
import type { ApiKeyInfo } from "../storage/store.js";

const keys: Record<string, ApiKeyInfo> = {
  admin: { id: "k0", name: "admin", readOnly: false, admin: true, createdAt: 0 },
  rw: { id: "k1", name: "rw", readOnly: false, admin: false, createdAt: 0 },
  ro: { id: "k2", name: "ro", readOnly: true, admin: false, createdAt: 0 },
};
const store = { apiKeyBySecret: (s: string) => keys[s] };

test("applies the API access policy: loopback open, otherwise keys; read-only keys only read; key management takes an admin key", () => {
  const table: Array<[method: string, key: string | undefined, requireKey: boolean, extra: { admin?: boolean; relayed?: boolean }, want: string | undefined]> = [
    ["GET", undefined, false, {}, undefined],
    ["POST", undefined, false, {}, undefined],
    ["GET", undefined, true, {}, "LH_ERR_API_KEY"],
    ["POST", "", true, {}, "LH_ERR_API_KEY"],
    ["GET", "rw", true, {}, undefined],
    ["POST", "rw", true, {}, undefined],
    ["GET", "ro", true, {}, undefined],
    ["HEAD", "ro", true, {}, undefined],
    ["POST", "ro", true, {}, "LH_ERR_FORBIDDEN"],
    ["POST", "ro", false, {}, "LH_ERR_FORBIDDEN"],
    ["GET", "wrong", true, {}, "LH_ERR_API_KEY"],
    ["GET", "wrong", false, {}, "LH_ERR_API_KEY"],
    // Key management: admin keys (or a keyless loopback caller) only.
    ["POST", "admin", true, { admin: true }, undefined],
    ["GET", "admin", true, { admin: true }, undefined],
    ["POST", "rw", true, { admin: true }, "LH_ERR_FORBIDDEN"],
    ["GET", "rw", false, { admin: true }, "LH_ERR_FORBIDDEN"],
    ["GET", "ro", true, { admin: true }, "LH_ERR_FORBIDDEN"],
    ["POST", undefined, false, { admin: true }, undefined],
    // Relayed through a proxy: no keyless trust even on loopback.
    ["GET", undefined, false, { relayed: true }, "LH_ERR_API_KEY"],
    ["POST", undefined, false, { relayed: true }, "LH_ERR_API_KEY"],
    ["GET", "ro", false, { relayed: true }, undefined],
  ];
  for (const [method, apiKey, requireKey, extra, want] of table) {
    const r = checkAccess(store, { method, apiKey, requireKey, ...extra });
    const err = r instanceof LogharborError ? r : undefined;
    assert.equal(err?.code, want, `${method} key=${apiKey} requireKey=${requireKey} ${JSON.stringify(extra)}`);
    if (err) assert.equal(err.status, err.code === "LH_ERR_FORBIDDEN" ? 403 : 401);
    if (!err) assert.equal((r as { key: ApiKeyInfo | undefined }).key, apiKey ? keys[apiKey] : undefined);
  }
});

test("keeps other origins out: Host must name this server on a keyless listener; state changes need this origin and JSON", () => {
  const loopback = browserPolicy("127.0.0.1", true);
  const allowed = browserPolicy("127.0.0.1", true, ["logs.example.com"]);
  const remote = browserPolicy("0.0.0.0", false);
  const remoteAllowed = browserPolicy("10.0.0.5", false, ["logs.example.com"]);
  const req = (r: Partial<BrowserRequest>): BrowserRequest => ({
    method: "GET", host: "127.0.0.1:8080", origin: undefined, secFetchSite: undefined, contentType: undefined, hasBody: false, ...r,
  });
  const json = { contentType: "application/json", hasBody: true };
  const table: Array<[string, BrowserRequest, ReturnType<typeof browserPolicy>, string | undefined]> = [
    ["the CLI on loopback", req({}), loopback, undefined],
    ["localhost", req({ host: "localhost:8080" }), loopback, undefined],
    ["[::1]", req({ host: "[::1]:8080" }), loopback, undefined],
    ["127.0.0.2", req({ host: "127.0.0.2:8080" }), loopback, undefined],
    ["DNS rebinding GET", req({ host: "rebind.attacker.example:8080" }), loopback, "LH_ERR_HOST"],
    ["DNS rebinding POST", req({ method: "POST", host: "rebind.attacker.example", ...json }), loopback, "LH_ERR_HOST"],
    ["no Host", req({ host: undefined }), loopback, "LH_ERR_HOST"],
    ["an allowed name", req({ host: "logs.example.com" }), allowed, undefined],
    ["not the allowed name", req({ host: "logs.example.com.evil" }), allowed, "LH_ERR_HOST"],
    ["any Host with keys required", req({ host: "whatever.example" }), remote, undefined],
    ["keys required, allowed names given", req({ host: "whatever.example" }), remoteAllowed, "LH_ERR_HOST"],
    ["keys required, the bound host", req({ host: "10.0.0.5:8080" }), remoteAllowed, undefined],
    // The server's own page: same origin, JSON.
    ["own page POST", req({ method: "POST", origin: "http://127.0.0.1:8080", secFetchSite: "same-origin", ...json }), loopback, undefined],
    ["own page DELETE", req({ method: "DELETE", origin: "http://127.0.0.1:8080", secFetchSite: "same-origin" }), loopback, undefined],
    ["own page on localhost", req({ method: "PUT", host: "localhost:8080", origin: "http://localhost:8080", ...json }), loopback, undefined],
    // Another site's page.
    ["cross-site text/plain POST", req({ method: "POST", origin: "http://evil.example", secFetchSite: "cross-site", contentType: "text/plain", hasBody: true }), loopback, "LH_ERR_ORIGIN"],
    ["cross-site body-less POST", req({ method: "POST", origin: "http://evil.example" }), loopback, "LH_ERR_ORIGIN"],
    ["Origin: null", req({ method: "POST", origin: "null", ...json }), loopback, "LH_ERR_ORIGIN"],
    ["same-site other port", req({ method: "POST", origin: "http://127.0.0.1:9999", secFetchSite: "same-site", ...json }), loopback, "LH_ERR_ORIGIN"],
    ["other port, no Sec-Fetch-Site", req({ method: "POST", origin: "http://127.0.0.1:9999", ...json }), loopback, "LH_ERR_ORIGIN"],
    ["cross-site, only Sec-Fetch-Site", req({ method: "DELETE", secFetchSite: "cross-site" }), remote, "LH_ERR_ORIGIN"],
    ["cross-site GET is only a read", req({ origin: "http://evil.example", secFetchSite: "cross-site" }), loopback, undefined],
    // Bodies must be JSON.
    ["curl text/plain POST", req({ method: "POST", contentType: "text/plain", hasBody: true }), loopback, "LH_ERR_CONTENT_TYPE"],
    ["form POST", req({ method: "POST", contentType: "application/x-www-form-urlencoded", hasBody: true }), remote, "LH_ERR_CONTENT_TYPE"],
    ["body without a type", req({ method: "PUT", hasBody: true }), loopback, "LH_ERR_CONTENT_TYPE"],
    ["JSON with charset", req({ method: "POST", contentType: "application/json; charset=utf-8", hasBody: true }), loopback, undefined],
    ["curl body-less POST", req({ method: "POST" }), loopback, undefined],
  ];
  for (const [what, r, policy, want] of table) {
    const err = checkBrowserRequest(r, policy);
    assert.equal(err?.code, want, what);
    if (err) assert.equal(err.status, err.code === "LH_ERR_CONTENT_TYPE" ? 415 : 403, what);
  }
});
