// Loki clients from npm ship to a real `logharbor serve` on POST /loki/api/v1/push: winston-loki
// in its protobuf + snappy mode (basic auth) and in JSON (structured metadata), pino-loki in JSON
// (the token as X-Scope-OrgID). Every entry is searchable in the log of the token with its stream
// labels and structured metadata as fields, host/unit/container/priority from the labels that mean
// them; a wrong or missing token is refused with 403 / 401 and nothing is stored; bad input (bad
// snappy, truncated protobuf, malformed labels, bad JSON) is refused clearly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { pino } from "pino";
import pinoLoki from "pino-loki";
import protobuf from "protobufjs";
import { compress } from "snappyjs";
import winston from "winston";
import LokiTransport from "winston-loki";
import { countEvents, queryEvents, startAgentServe } from "../harness/agent-serve.js";
import { LARGE_BODY_BYTES, PRIORITY_OF_LEVEL, testRecords } from "../harness/agent-records.js";
import { repoRoot } from "../harness/paths.js";

const N = 2000;
const T0 = Date.UTC(2026, 0, 2);

function winstonLogger(host: string, o: { json: boolean; basicAuth?: string; headers?: Record<string, string>; errors?: Array<{ statusCode?: number }> }) {
  const transport = new LokiTransport({
    host, json: o.json, interval: 0.2, gracefulShutdown: false, replaceTimestamp: false, timeout: 30_000,
    labels: { job: "shop", host: "node-3", unit: "nginx.service" },
    format: winston.format.printf((i) => String(i.message)),
    ...(o.basicAuth !== undefined ? { basicAuth: o.basicAuth } : {}),
    ...(o.headers !== undefined ? { headers: o.headers } : {}),
    onConnectionError: (e: unknown) => o.errors?.push(e as { statusCode?: number }),
  });
  const logger = winston.createLogger({ transports: [transport] });
  return { logger, transport };
}

async function shipWinston(host: string, o: Parameters<typeof winstonLogger>[1], n: number, offset: number): Promise<void> {
  const { logger, transport } = winstonLogger(host, o);
  for (const r of testRecords(n, offset)) {
    const meta = o.json ? { seq: String(r.i), user: r.attributes["user.name"] } : {};
    logger.log({ level: r.level, message: r.body, timestamp: new Date(T0 + r.i).toISOString(), ...(r.i % 2 === 0 ? { labels: { container: "web" } } : {}), ...meta });
  }
  await transport.flush();
  transport.close?.();
  logger.close();
}

test("winston-loki (protobuf + snappy, and JSON) and pino-loki (JSON) ship every entry, searchable with its labels and structured metadata, into the log of the token", async () => {
  const s = await startAgentServe(["loki-proto", "loki-json", "loki-pino", "other"]);
  try {
    const errors: Array<{ statusCode?: number }> = [];
    await Promise.all([
      shipWinston(s.url, { json: false, basicAuth: `promtail:${s.logs["loki-proto"]!.token}`, errors }, N, 0),
      shipWinston(s.url, { json: true, headers: { authorization: `Bearer ${s.logs["loki-json"]!.token}` }, errors }, N, 200_000),
      (async () => {
        const stream = pinoLoki({
          host: s.url, headers: { "X-Scope-OrgID": s.logs["loki-pino"]!.token }, batching: { interval: 0.2 }, logFormat: "{msg}",
          labels: { job: "billing", hostname: "node-4", service_name: "invoices" },
        });
        const log = pino({ level: "info", base: undefined }, stream);
        for (const r of testRecords(N, 100_000)) log[r.level]({ time: T0 + r.i, meta: { seq: String(r.i), trace_id: `t${r.i % 10}` } }, r.body);
        stream.end();
        await once(stream, "close");
      })(),
    ]);
    assert.deepEqual(errors, [], "no push failed");
    for (const [log, offset] of [["loki-proto", 0], ["loki-json", 200_000], ["loki-pino", 100_000]] as const) {
      const events = await queryEvents(s.url, log);
      assert.equal(events.length, N, `${log}: every entry stored once`);
      const byTime = new Map(events.map((e) => [e.ts_us, e]));
      for (const r of testRecords(N, offset)) {
        const e = byTime.get((T0 + r.i) * 1000);
        assert.ok(e, `${log}: entry ${r.i} at its time`);
        assert.equal(e.message, r.body);
        assert.equal(e.priority, PRIORITY_OF_LEVEL[r.level], `${log} ${r.level}`);
        if (log === "loki-pino") {
          assert.equal(e.host, "node-4");
          assert.equal(e.unit, "invoices");
          assert.equal(e.parsed?.["job"], "billing");
          assert.equal(e.parsed?.["seq"], String(r.i), "structured metadata is kept");
          assert.equal(e.parsed?.["trace_id"], `t${r.i % 10}`);
        } else {
          assert.equal(e.host, "node-3");
          assert.equal(e.unit, "nginx.service");
          assert.equal(e.parsed?.["job"], "shop");
          assert.equal(e.fields["CONTAINER_NAME"], r.i % 2 === 0 ? "web" : undefined);
          if (log === "loki-json") assert.equal(e.parsed?.["user"], r.attributes["user.name"], "winston meta arrives as structured metadata");
        }
      }
      assert.ok(events.some((e) => e.message.length > LARGE_BODY_BYTES), "large entries arrive whole");
      assert.equal(await countEvents(s.url, log, '"日本語のログ"'), N / 10);
    }
    assert.equal(await countEvents(s.url, "loki-proto", "job=shop AND container=web AND priority<=err"), testRecords(N, 0).filter((r) => r.i % 2 === 0 && r.level === "error").length);
    assert.equal(await countEvents(s.url, "loki-pino", "trace_id=t3 AND unit=invoices"), N / 10);
    assert.equal(await countEvents(s.url, "other"), 0, "nothing in another log");
  } finally {
    await s.stop();
  }
});

test("winston-loki sees 401 without a token and 403 with a wrong one (protobuf and JSON), pino-loki reports the refusal, and nothing is stored", async () => {
  const s = await startAgentServe(["a"]);
  try {
    for (const c of [{ json: false, status: 401 }, { json: true, status: 401 }, { json: false, status: 403, basicAuth: "u:00000000-0000-4000-8000-000000000000" }, { json: true, status: 403, headers: { "X-Scope-OrgID": "not-a-token" } }]) {
      const errors: Array<{ statusCode?: number }> = [];
      await shipWinston(s.url, { json: c.json, errors, ...(c.basicAuth ? { basicAuth: c.basicAuth } : {}), ...(c.headers ? { headers: c.headers } : {}) }, 3, 0);
      assert.ok(errors.length >= 1, "the push failed");
      assert.ok(errors.every((e) => e.statusCode === c.status), `winston-loki saw ${c.status}: ${JSON.stringify(errors.map((e) => e.statusCode))}`);
    }
    const said: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void said.push(args.join(" "));
    try {
      const stream = pinoLoki({ host: s.url, headers: { "X-Scope-OrgID": "00000000-0000-4000-8000-000000000000" }, batching: { interval: 0.1 } });
      pino(stream).info("refused");
      stream.end();
      await once(stream, "close");
    } finally {
      console.error = original;
    }
    assert.match(said.join("\n"), /LH_ERR_TOKEN_UNKNOWN: loki: the token is not the ingest token of any log/);
    assert.equal(await countEvents(s.url, ""), 0, "nothing stored anywhere");
  } finally {
    await s.stop();
  }
});

test("bad Loki input is refused clearly: bad snappy, truncated protobuf, malformed labels, bad JSON; nothing is stored and the server keeps answering", async () => {
  const s = await startAgentServe(["a"]);
  try {
    const root = new protobuf.Root().loadSync(`${repoRoot}/src/server/ingest/loki/proto/push.proto`);
    const Push = root.lookupType("logproto.PushRequest");
    const encode = (labels: string) => Buffer.from(Push.encode(Push.create({ streams: [{ labels, entries: [{ timestamp: { seconds: 1767225600, nanos: 5000 }, line: "hello proto", structuredMetadata: [{ name: "trace_id", value: "abc" }] }] }] })).finish());
    const post = (body: Buffer | string, type: string) => fetch(`${s.url}/loki/api/v1/push`, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${s.logs["a"]!.token}` }, body });
    const cases: Array<[string, Buffer | string, string, number, RegExp]> = [
      ["bad snappy", Buffer.from("definitely not snappy"), "application/x-protobuf", 400, /loki: the body is not valid snappy data/],
      ["truncated protobuf", Buffer.from(compress(encode('{job="x"}').subarray(0, 20))), "application/x-protobuf", 400, /loki: the body is not a valid protobuf PushRequest/],
      ["malformed labels", Buffer.from(compress(encode('{job="x}'))), "application/x-protobuf", 400, /loki: stream labels .* expected a closing "/],
      ["bad JSON", '{"streams": [', "application/json", 400, /loki: the body is not valid JSON/],
      ["JSON entry without a line", '{"streams":[{"stream":{"a":"b"},"values":[["1767225600000000000"]]}]}', "application/json", 400, /values\[0\] must be \["<unix ns>", "line"\]/],
      ["JSON label not a string", '{"streams":[{"stream":{"a":1},"values":[]}]}', "application/json", 400, /streams\[0\]\.stream\.a must be a string/],
      ["a snappy bomb", Buffer.from([0x80, 0x80, 0x80, 0x40, 0x00, 0x00]), "application/x-protobuf", 413, /larger than the limit/],
      ["unknown type", "x", "text/plain", 415, /Content-Type: expected application\/x-protobuf/],
    ];
    for (const [what, body, type, status, said] of cases) {
      const res = await post(body, type);
      assert.equal(res.status, status, what);
      assert.match(await res.text(), said, what);
    }
    assert.equal(await countEvents(s.url, "a"), 0, "nothing of a refused push is stored");
    const good = await post(Buffer.from(compress(encode('{job="x", host="h1"}'))), "application/x-protobuf");
    assert.equal(good.status, 204);
    const [e] = await queryEvents(s.url, "a");
    assert.equal(e!.message, "hello proto");
    assert.equal(e!.ts_us, 1767225600000005);
    assert.equal(e!.host, "h1");
    assert.equal(e!.parsed?.["trace_id"], "abc");
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  } finally {
    await s.stop();
  }
});
