import { test } from "node:test";
import assert from "node:assert/strict";
import { call, jsonBody, startTestServer } from "../testing.js";

interface Saved { id: string; name: string; q: string; from: string; to: string; log: string; created_at: string; updated_at: string }

test("saved queries: created, listed, opened by name or id, replaced and deleted through the API", async () => {
  const s = await startTestServer();
  try {
    s.store.createLog("web");
    s.store.createLog("db");
    const url = `${s.url}/api/v1/saved-queries`;
    const created = await call(url, jsonBody({ name: "5xx on web", q: "where(status >= 500)", from: "-24h", to: "now", log: "web" }));
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const a = created.json["saved_query"] as Saved;
    assert.match(a.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...a, id: "", created_at: "", updated_at: "" }, { id: "", name: "5xx on web", q: "where(status >= 500)", from: "-24h", to: "now", log: "web", created_at: "", updated_at: "" });
    // Defaults: the last hour, every log; a list of logs is kept comma-separated.
    const b = (await call(url, jsonBody({ name: "all errors", q: "error", log: ["web", "db"] }))).json["saved_query"] as Saved;
    assert.deepEqual([b.from, b.to, b.log], ["-1h", "now", "web,db"]);

    const list = await call(url);
    assert.deepEqual((list.json["saved_queries"] as Saved[]).map((x) => x.name), ["5xx on web", "all errors"]);
    assert.equal(((await call(`${url}/${encodeURIComponent("5xx on web")}`)).json["saved_query"] as Saved).id, a.id);
    assert.equal(((await call(`${url}/${a.id}`)).json["saved_query"] as Saved).name, "5xx on web");

    const put = await call(`${url}/${a.id}`, { ...jsonBody({ q: "where(status >= 500) groupby(host)", from: "all", to: "" }), method: "PUT" });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    const p = put.json["saved_query"] as Saved;
    assert.deepEqual([p.name, p.q, p.from, p.to, p.log, p.created_at], ["5xx on web", "where(status >= 500) groupby(host)", "all", "", "", a.created_at]);

    const taken = await call(url, jsonBody({ name: "all errors", q: "" }));
    assert.equal(taken.status, 409);
    assert.equal(taken.json.error?.code, "LH_ERR_SAVED_QUERY_EXISTS");
    const renamed = await call(`${url}/${a.id}`, { ...jsonBody({ name: "all errors" }), method: "PUT" });
    assert.equal(renamed.status, 409);

    const del = await fetch(`${url}/${encodeURIComponent("all errors")}`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal((await call(`${url}/${b.id}`)).status, 404);
    assert.equal((await call(`${url}/${b.id}`)).json.error?.code, "LH_ERR_NOT_FOUND");
    assert.deepEqual(((await call(url)).json["saved_queries"] as Saved[]).map((x) => x.name), ["5xx on web"]);
  } finally {
    await s.stop();
  }
});

test("saved queries: bad input is refused naming the problem, so a saved query always opens", async () => {
  const s = await startTestServer();
  try {
    const url = `${s.url}/api/v1/saved-queries`;
    const cases: Array<[unknown, number, string, RegExp]> = [
      [{ q: "error" }, 400, "LH_ERR_REQUEST", /^name: expected 1 to 100 characters/],
      [{ name: "  ", q: "error" }, 400, "LH_ERR_REQUEST", /^name: expected 1 to 100 characters/],
      [{ name: "x".repeat(101) }, 400, "LH_ERR_REQUEST", /^name: expected at most 100 characters/],
      [{ name: "bell\u0007" }, 400, "LH_ERR_REQUEST", /^name: expected 1 to 100 characters without control characters/],
      [{ name: "n", q: 5 }, 400, "LH_ERR_REQUEST", /^q: expected a string/],
      [{ name: "n", q: "where(status = )" }, 400, "LH_ERR_QUERY_SYNTAX", /column 16/],
      [{ name: "n", from: "last tuesday" }, 400, "LH_ERR_TIME", /^from: expected now, today, yesterday, "2 hours ago", -30s/],
      [{ name: "n", log: "nope" }, 404, "LH_ERR_LOG_NOT_FOUND", /no log named "nope"/],
      [[1, 2], 400, "LH_ERR_REQUEST", /^body: expected a JSON object such as/],
    ];
    for (const [body, status, code, message] of cases) {
      const r = await call(url, jsonBody(body));
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.json.error?.code, code, JSON.stringify(body));
      assert.match(r.json.error!.message, message);
    }
    const syntax = await call(url, jsonBody({ name: "n", q: "where(status = )" }));
    assert.equal(syntax.json.error?.position, 16);
    assert.deepEqual((await call(url)).json["saved_queries"], []);
  } finally {
    await s.stop();
  }
});

test("saved queries: a read-only API key may list and open them but not change them", async () => {
  const s = await startTestServer({ requireApiKey: true });
  try {
    const rw = s.store.createApiKey(false).secret;
    const ro = s.store.createApiKey(true).secret;
    const url = `${s.url}/api/v1/saved-queries`;
    assert.equal((await call(url, jsonBody({ name: "mine", q: "error" }, { "x-api-key": rw }))).status, 201);
    const list = await call(url, { headers: { "x-api-key": ro } });
    assert.equal(list.status, 200);
    assert.equal((list.json["saved_queries"] as Saved[]).length, 1);
    assert.equal((await call(`${url}/mine`, { headers: { "x-api-key": ro } })).status, 200);
    for (const [method, path] of [["POST", url], ["PUT", `${url}/mine`], ["DELETE", `${url}/mine`]] as const) {
      const r = await call(path, { method, headers: { "x-api-key": ro, "content-type": "application/json" }, body: JSON.stringify({ name: "theirs" }) });
      assert.equal(r.status, 403, method);
      assert.equal(r.json.error?.code, "LH_ERR_FORBIDDEN");
    }
    assert.equal((await call(url)).status, 401, "no key at all on a server that needs one");
    assert.deepEqual(((await call(url, { headers: { "x-api-key": rw } })).json["saved_queries"] as Saved[]).map((x) => x.name), ["mine"]);
  } finally {
    await s.stop();
  }
});
