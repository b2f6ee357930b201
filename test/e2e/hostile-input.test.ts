// Hostile input against a real server: oversized and malformed queries, deeply nested and
// compressed webhook bodies, a gzip bomb to the batch API, and an upload that breaks after some
// complete entries. Each gets a clear 4xx naming the problem and the limit, and the server keeps
// answering /healthz and ingest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { encodeExportEntry } from "../../src/core/journal/export-encoder.js";
import { healthy, ingestLine, postJson, startTarget, stored } from "../harness/hostile.js";

test("oversized and malformed queries are refused with 400 naming the limit or the problem", { timeout: 180_000 }, async () => {
  const t = await startTarget();
  try {
    const table: Array<[string, string, string, RegExp]> = [
      ["NUL in a phrase", 'where("a\u0000b")', "LH_ERR_QUERY_SYNTAX", /a NUL character \(U\+0000\) at column 9/],
      ["a 100 KB regex", `where(/${"a".repeat(100_000)}/)`, "LH_ERR_QUERY_TOO_LARGE", /more than the limit of 65536/],
      ["a 5,000-character regex", `where(/${"a".repeat(5_000)}/)`, "LH_ERR_QUERY_TOO_LARGE", /5000 characters, more than the limit of 4096/],
      ["20,000 OR terms", Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(" OR "), "LH_ERR_QUERY_TOO_LARGE", /more than the limit of 65536/],
      ["300 terms", Array.from({ length: 300 }, (_, i) => `w${i}`).join(" "), "LH_ERR_QUERY_TOO_LARGE", /more than 200 search terms in where\(\), the limit/],
      ["a ~1 MB query", `error ${"x".repeat(1_000_000)}`, "LH_ERR_QUERY_TOO_LARGE", /1000006 characters, more than the limit of 65536/],
    ];
    for (const [what, q, code, message] of table) {
      const r = await postJson(`${t.serve.url}/api/v1/query`, { q });
      assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.json).slice(0, 300)}`);
      assert.equal(r.json.error?.code, code, what);
      assert.match(r.json.error!.message, message, what);
    }
    assert.ok(await healthy(t));
  } finally {
    await t.stop();
  }
});

test("webhooks: 100k-deep JSON is refused with 400, /v1/logs refuses a JSON array, gzip bodies are decoded and a gzip bomb gets 413 naming the limit", { timeout: 180_000 }, async () => {
  const t = await startTarget();
  try {
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    for (const path of ["v1/logs", "noformat/logs"]) {
      const r = await fetch(`${t.serve.url}/${path}/${t.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: deep });
      const j = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(r.status, 400, path);
      assert.equal(j.error.code, "LH_ERR_BATCH");
      assert.match(j.error.message, /nests 100000 levels deep, more than the limit of 64/);
    }
    const arr = await fetch(`${t.serve.url}/v1/logs/${t.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: '[{"a":1}]' });
    assert.equal(arr.status, 400);
    assert.match(((await arr.json()) as { error: { message: string } }).error.message, /expected a JSON object .* got a JSON array/);
    // Content-Encoding: gzip is decoded: the text is stored, not the compressed bytes.
    const gz = await fetch(`${t.serve.url}/noformat/logs/${t.token}`, { method: "POST", headers: { "content-encoding": "gzip" }, body: gzipSync("gzipped webhook line") });
    assert.equal(gz.status, 204);
    await stored(t, "gzipped webhook line");
    const js = await fetch(`${t.serve.url}/v1/logs/${t.token}`, { method: "POST", headers: { "content-encoding": "gzip", "content-type": "application/json" }, body: gzipSync('{"msg":"gzipped js event","n":1}') });
    assert.equal(js.status, 204);
    await stored(t, "gzipped js event");
    // A bomb: 200 KB that inflate to 100 MiB.
    const bomb = await fetch(`${t.serve.url}/noformat/logs/${t.token}`, { method: "POST", headers: { "content-encoding": "gzip" }, body: gzipSync(Buffer.alloc(100 * 1024 * 1024)) });
    assert.equal(bomb.status, 413);
    const bj = (await bomb.json()) as { error: { code: string; message: string } };
    assert.equal(bj.error.code, "LH_ERR_BATCH_TOO_LARGE");
    assert.match(bj.error.message, /decompresses to more than the limit of 1048576 bytes/);
    assert.ok(await healthy(t));
    assert.equal(await ingestLine(t, "after the webhooks"), 204);
  } finally {
    await t.stop();
  }
});

test("a gzip bomb to the batch API gets 413 naming the limit while /healthz is answered; an upload keeps the complete entries before an error in the same chunk", { timeout: 300_000 }, async () => {
  const t = await startTarget();
  try {
    // MESSAGE= then 1 GiB of zeros without a newline, gzipped (about 1 MB).
    const { createGzip } = await import("node:zlib");
    const z = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    z.on("data", (d: Buffer) => parts.push(d));
    const done = new Promise((r) => z.once("end", r));
    z.write("MESSAGE=");
    const zeros = Buffer.alloc(16 * 1024 * 1024, "0");
    for (let i = 0; i < 64; i++) if (!z.write(zeros)) await new Promise((r) => z.once("drain", r));
    z.end();
    await done;
    const body = Buffer.concat(parts);
    const bomb = fetch(`${t.serve.url}/api/v1/ingest/journal`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.token}`, "content-type": "application/vnd.fdo.journal", "content-encoding": "gzip" },
      body,
    });
    assert.ok(await healthy(t), "healthz while the bomb is read");
    const r = await bomb;
    assert.equal(r.status, 413);
    const j = (await r.json()) as { error: { code: string; message: string } };
    assert.match(j.error.code, /LH_ERR_BATCH_TOO_LARGE|LH_ERR_ENTRY_TOO_LARGE/);
    assert.match(j.error.message, /limit of 67108864 bytes/);

    // An upload: two complete entries, then a malformed field, all in one chunk.
    const good = Buffer.concat([encodeExportEntry([["MESSAGE", "upload one"]]), encodeExportEntry([["MESSAGE", "upload two"]])]);
    const up = await fetch(`${t.serve.url}/upload`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.token}`, "content-type": "application/vnd.fdo.journal" },
      body: Buffer.concat([good, Buffer.from("bad name=x\n\n")]),
    });
    assert.equal(up.status, 400);
    const uj = (await up.json()) as { error: { code: string; message: string; position: number } };
    assert.equal(uj.error.code, "LH_ERR_EXPORT_FORMAT");
    assert.equal(uj.error.position, good.length + 3, "the byte of the space in the field name");
    await stored(t, "upload one");
    await stored(t, "upload two");
  } finally {
    await t.stop();
  }
});
