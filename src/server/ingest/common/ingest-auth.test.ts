import { test } from "node:test";
import assert from "node:assert/strict";
import { tokenOfRequest } from "./ingest-auth.js";

const T = "0f8e3c1a-1111-4222-8333-444455556666";
const b64 = (s: string) => Buffer.from(s).toString("base64");

test("the ingest token of an HTTP request: Bearer, basic-auth password (any user), ApiKey, the tenant header, ?token=", () => {
  const cases: Array<[Record<string, string>, unknown, string | undefined, string | undefined]> = [
    [{ authorization: `Bearer ${T}` }, {}, undefined, T],
    [{ authorization: `Basic ${b64(`anyone:${T}`)}` }, {}, undefined, T],
    [{ authorization: `Basic ${b64(`${T}:`)}` }, {}, undefined, T],
    [{ authorization: `ApiKey ${T}` }, {}, undefined, T],
    [{ authorization: `ApiKey ${b64(`filebeat:${T}`)}` }, {}, undefined, T],
    [{ "x-scope-orgid": T }, {}, "x-scope-orgid", T],
    [{ "x-scope-orgid": T }, {}, undefined, undefined],
    [{}, { token: T }, undefined, T],
    [{ authorization: "Digest x" }, {}, undefined, undefined],
    [{}, {}, "x-scope-orgid", undefined],
  ];
  for (const [headers, query, tenantHeader, want] of cases) {
    assert.equal(tokenOfRequest(headers, query, tenantHeader ? { tenantHeader } : {}), want, JSON.stringify(headers));
  }
});
