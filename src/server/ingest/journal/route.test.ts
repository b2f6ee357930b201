import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { encodeExportEntry, type ExportField } from "../../../core/journal/export-encoder.js";
import { call, startTestServer, type TestServer } from "../../testing.js";

const SEQNUM_ID = "db93973e065c4cb092634d1c6afd477b";
const BOOT = "0123456789abcdef0123456789abcdef";

function cursorOf(i: number): string {
  return `s=${SEQNUM_ID};i=${i.toString(16)};b=${BOOT};m=${(i * 10).toString(16)};t=60a24181e4000;x=68fb`;
}

function entry(i: number, extra: ExportField[] = []): ExportField[] {
  return [
    ["__CURSOR", cursorOf(i)],
    ["__REALTIME_TIMESTAMP", String(1_700_000_000_000_000 + i)],
    ["__SEQNUM", String(i)],
    ["__SEQNUM_ID", SEQNUM_ID],
    ["_HOSTNAME", "web-1"],
    ["_SYSTEMD_UNIT", "app.service"],
    ["PRIORITY", "6"],
    ["MESSAGE", `entry ${i}`],
    ...extra,
  ];
}

function body(entries: ExportField[][]): Buffer {
  return Buffer.concat(entries.map((e) => encodeExportEntry(e)));
}

async function ingest(s: TestServer, data: Buffer, opts: { token?: string; gzip?: boolean; query?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/vnd.fdo.journal" };
  if (opts.token !== undefined) headers["authorization"] = `Bearer ${opts.token}`;
  if (opts.gzip !== false) headers["content-encoding"] = "gzip";
  return call(`${s.url}/api/v1/ingest/journal${opts.query ?? ""}`, {
    method: "POST",
    headers,
    body: opts.gzip === false ? data : gzipSync(data),
  });
}

async function withServer(fn: (s: TestServer, token: string, logId: string) => Promise<void>, opts = {}): Promise<void> {
  const s = await startTestServer(opts);
  try {
    const log = s.store.createLog("app");
    await fn(s, log.token, log.id);
  } finally {
    await s.stop();
  }
}

test("stores a gzip batch and answers with the counts and the last cursor", async () => {
  await withServer(async (s, token, logId) => {
    const r = await ingest(s, body([entry(1), entry(2), entry(3)]), { token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { accepted: 3, duplicates: 0, last_cursor: cursorOf(3) });
    assert.equal(s.store.count(logId), 3, "committed before the answer");
    const page = s.store.search({ logIds: [logId], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 10, order: "asc" });
    assert.deepEqual(page.events.map((e) => [e.message, e.host, e.unit, e.priority]), [
      ["entry 1", "web-1", "app.service", 6],
      ["entry 2", "web-1", "app.service", 6],
      ["entry 3", "web-1", "app.service", 6],
    ]);
  });
});

test("stores nothing twice when a batch is replayed", async () => {
  await withServer(async (s, token, logId) => {
    await ingest(s, body([entry(1), entry(2)]), { token });
    const again = await ingest(s, body([entry(1), entry(2), entry(3)]), { token, gzip: false });
    assert.deepEqual(again.json, { accepted: 1, duplicates: 2, last_cursor: cursorOf(3) });
    assert.equal(s.store.count(logId), 3);
  });
});

test("takes the token from ?token= too", async () => {
  await withServer(async (s, token, logId) => {
    const r = await ingest(s, body([entry(1)]), { query: `?token=${token}` });
    assert.equal(r.status, 200);
    assert.equal(s.store.count(logId), 1);
    assert.equal(s.logs().includes(token), false, "the token is not logged");
  });
});

test("refuses a batch with an unknown token and stores nothing", async () => {
  await withServer(async (s, _token, logId) => {
    const r = await ingest(s, body([entry(1)]), { token: "00000000-0000-0000-0000-000000000000" });
    assert.equal(r.status, 403);
    assert.equal(r.json.error?.code, "LH_ERR_TOKEN_UNKNOWN");
    assert.equal(s.store.count(logId), 0);
    assert.equal(s.logs().includes("00000000-0000-0000-0000-000000000000"), false, "the token is not logged");
  });
});

test("refuses a batch without a token and stores nothing", async () => {
  await withServer(async (s, _token, logId) => {
    const r = await ingest(s, body([entry(1)]));
    assert.equal(r.status, 401);
    assert.equal(r.json.error?.code, "LH_ERR_TOKEN_MISSING");
    assert.equal(s.store.count(logId), 0);
  });
});

test("refuses a malformed batch naming the problem, and stores none of it", async () => {
  await withServer(async (s, token, logId) => {
    const good = body([entry(1), entry(2)]);
    const bad = Buffer.concat([good, Buffer.from("MESS AGE=oops\n\n")]);
    const r = await ingest(s, bad, { token });
    assert.equal(r.status, 400);
    assert.equal(r.json.error?.code, "LH_ERR_EXPORT_FORMAT");
    assert.match(r.json.error!.message, /invalid character 0x20 in a field name/);
    assert.equal(r.json.error?.position, good.length + 4);
    assert.equal(s.store.count(logId), 0);

    const truncated = await ingest(s, good.subarray(0, good.length - 20), { token });
    assert.equal(truncated.status, 400);
    assert.match(truncated.json.error!.message, /ends inside an entry/);

    const notGzip = await call(`${s.url}/api/v1/ingest/journal`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal", "content-encoding": "gzip" },
      body: good,
    });
    assert.equal(notGzip.status, 400);
    assert.equal(notGzip.json.error?.code, "LH_ERR_BATCH");
    assert.match(notGzip.json.error!.message, /not valid gzip/);
    assert.equal(s.store.count(logId), 0);
  });
});

test("refuses a batch larger than the limit with 413", async () => {
  await withServer(
    async (s, token, logId) => {
      const many = body(Array.from({ length: 200 }, (_, i) => entry(i + 1)));
      assert.ok(many.length > 16384);
      const r = await ingest(s, many, { token });
      assert.equal(r.status, 413);
      assert.equal(r.json.error?.code, "LH_ERR_BATCH_TOO_LARGE");
      assert.match(r.json.error!.message, /limit of 16384 bytes/);
      assert.equal(s.store.count(logId), 0);
    },
    { maxBatchBytes: 16384 },
  );
});

test("keeps a 2 MiB message and a binary field intact", async () => {
  await withServer(async (s, token) => {
    const big = "x".repeat(2 * 1024 * 1024) + "\nend";
    const bin = Buffer.from([0x00, 0x01, 0xff, 0x0a, 0xfe]);
    const r = await ingest(s, body([entry(1, [["BIG", big], ["BIN", bin]])]), { token });
    assert.equal(r.status, 200);
    const { json } = await call(`${s.url}/api/v1/events?limit=1`);
    const ev = (json["events"] as Array<{ fields: Record<string, unknown> }>)[0]!;
    assert.equal(ev.fields["BIG"], big);
    assert.deepEqual(ev.fields["BIN"], { base64: bin.toString("base64") });
  });
});

test("makes an invalid UTF-8 message readable and keeps its raw bytes", async () => {
  await withServer(async (s, token) => {
    const raw = Buffer.concat([Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(" ok")]);
    const fields = entry(1).filter(([n]) => n !== "MESSAGE");
    const r = await ingest(s, body([[...fields, ["MESSAGE", raw]]]), { token });
    assert.equal(r.status, 200);
    const { json } = await call(`${s.url}/api/v1/events?q=ok`);
    const ev = (json["events"] as Array<{ message: string; fields: Record<string, unknown> }>)[0]!;
    assert.equal(ev.message, "caf\ufffd ok");
    assert.deepEqual(ev.fields["MESSAGE"], { base64: raw.toString("base64") });
  });
});

test("beyond --max-inflight-batches batches being read, answers 503 with Retry-After and stores nothing of it; takes batches again once one finishes", async () => {
  await withServer(
    async (s, token, logId) => {
      const { request } = await import("node:http");
      const first = body([entry(1), entry(2)]);
      // A batch whose body is still arriving holds the only place.
      const slow = request(`${s.url}/api/v1/ingest/journal`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal", "transfer-encoding": "chunked" },
      });
      const slowAnswer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        slow.on("response", (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        });
        slow.on("error", reject);
      });
      slow.write(first.subarray(0, 10));
      // Until its handler runs, a batch without a token gets 401; from then on, 503 (checked first).
      for (let tries = 0; ; tries++) {
        const probe = await ingest(s, body([entry(9)]));
        if (probe.status === 503) break;
        assert.equal(probe.status, 401);
        assert.ok(tries < 1000, "the slow batch never took its place");
        await new Promise((r) => setTimeout(r, 10));
      }
      const refused = await fetch(`${s.url}/api/v1/ingest/journal`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
        body: body([entry(3)]),
      });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get("retry-after"), "1");
      const err = ((await refused.json()) as { error: { code: string; message: string } }).error;
      assert.equal(err.code, "LH_ERR_OVERLOADED");
      assert.match(err.message, /at most 1/);
      assert.equal(s.store.count(logId), 0);

      slow.end(first.subarray(10));
      const answer = await slowAnswer;
      assert.equal(answer.status, 200, answer.text);
      assert.equal(s.store.count(logId), 2);
      const again = await ingest(s, body([entry(3)]), { token });
      assert.equal(again.status, 200);
      assert.equal(s.store.count(logId), 3);
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      assert.match(metrics, /logharbor_ingest_batches_total\{protocol="journal",result="overloaded"\} [2-9]/);
    },
    { maxInFlightBatches: 1 },
  );
});
