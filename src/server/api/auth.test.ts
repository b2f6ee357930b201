import { test } from "node:test";
import assert from "node:assert/strict";
import { checkAccess } from "./auth.js";
import type { ApiKeyInfo } from "../storage/store.js";

const keys: Record<string, ApiKeyInfo> = {
  rw: { id: "k1", readOnly: false, createdAt: 0 },
  ro: { id: "k2", readOnly: true, createdAt: 0 },
};
const store = { apiKeyBySecret: (s: string) => keys[s] };

test("applies the API access policy: loopback open, otherwise keys; read-only keys only read", () => {
  const table: Array<[method: string, key: string | undefined, requireKey: boolean, want: string | undefined]> = [
    ["GET", undefined, false, undefined],
    ["POST", undefined, false, undefined],
    ["GET", undefined, true, "LH_ERR_API_KEY"],
    ["POST", "", true, "LH_ERR_API_KEY"],
    ["GET", "rw", true, undefined],
    ["POST", "rw", true, undefined],
    ["GET", "ro", true, undefined],
    ["HEAD", "ro", true, undefined],
    ["POST", "ro", true, "LH_ERR_FORBIDDEN"],
    ["POST", "ro", false, "LH_ERR_FORBIDDEN"],
    ["GET", "wrong", true, "LH_ERR_API_KEY"],
    ["GET", "wrong", false, "LH_ERR_API_KEY"],
  ];
  for (const [method, apiKey, requireKey, want] of table) {
    const err = checkAccess(store, { method, apiKey, requireKey });
    assert.equal(err?.code, want, `${method} key=${apiKey} requireKey=${requireKey}`);
    if (err) assert.equal(err.status, err.code === "LH_ERR_FORBIDDEN" ? 403 : 401);
  }
});
