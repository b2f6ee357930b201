// The OpenTelemetry JS SDK's own OTLP/HTTP log exporters (JSON and protobuf) ship to a real
// `logharbor serve` on POST /v1/logs: every record is searchable in the log of the token, with its
// resource and record attributes as fields, severity as priority, trace context and time; a wrong
// or missing token is refused with 403 / 401, which the exporter reports as a failed export, and
// nothing is stored. Bad input (truncated protobuf, bad JSON, gzip bombs) is refused clearly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { context, trace, TraceFlags } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter as JsonExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter, type ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { countEvents, queryEvents, startAgentServe } from "../harness/agent-serve.js";
import { LARGE_BODY_BYTES, PRIORITY_OF_LEVEL, testRecords } from "../harness/agent-records.js";

const N = 2000;
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN_ID = "00f067aa0ba902b7";
const SEVERITY = { info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR } as const;

/** Records each export's result (the exporter's own verdict), passing the records on. */
class Recording implements LogRecordExporter {
  results: Array<{ code: number; error?: Error }> = [];
  constructor(private readonly inner: LogRecordExporter) {}
  export(logs: ReadableLogRecord[], done: (r: { code: number; error?: Error }) => void): void {
    this.inner.export(logs, (r) => {
      this.results.push(r);
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

async function ship(exporter: LogRecordExporter, n: number, offset: number, batch = true): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "checkout", "host.name": "node-7", "k8s.container.name": "api", "deployment.environment": "prod" }),
    processors: [batch ? new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 256, scheduledDelayMillis: 50, maxQueueSize: 100_000 }) : new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger("shop", "1.2.3");
  const traced = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  for (const r of testRecords(n, offset)) {
    logger.emit({
      body: r.body, severityNumber: SEVERITY[r.level], severityText: r.level.toUpperCase(), attributes: r.attributes,
      ...(r.i % 3 === 0 ? { context: traced } : {}),
      timestamp: new Date(Date.UTC(2026, 0, 1) + r.i),
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
}

async function checkLog(url: string, log: string, offset: number): Promise<void> {
  const events = await queryEvents(url, log);
  assert.equal(events.length, N, `${log}: every record stored once`);
  const bySeq = new Map(events.map((e) => [Number(e.parsed?.["seq"]), e]));
  for (const r of testRecords(N, offset)) {
    const e = bySeq.get(r.i);
    assert.ok(e, `${log}: record ${r.i} is there`);
    assert.equal(e.message, r.body, `record ${r.i}'s body`);
    assert.equal(e.priority, PRIORITY_OF_LEVEL[r.level]);
    assert.equal(e.ts_us, (Date.UTC(2026, 0, 1) + r.i) * 1000, "time_unix_nano is the event time");
    assert.equal(e.host, "node-7");
    assert.equal(e.unit, "checkout");
    assert.equal(e.fields["CONTAINER_NAME"], "api");
    assert.equal(e.parsed?.["http.status_code"], r.attributes["http.status_code"]);
    assert.equal(e.parsed?.["user.name"], r.attributes["user.name"]);
    assert.equal(e.parsed?.["scope.name"], "shop");
    assert.equal(e.parsed?.["severity"], r.level.toUpperCase());
    if (r.i % 3 === 0) {
      assert.equal(e.parsed?.["trace_id"], TRACE_ID);
      assert.equal(e.parsed?.["span_id"], SPAN_ID);
    } else assert.equal(e.parsed?.["trace_id"], undefined);
  }
  assert.ok(events.some((e) => e.message.length > LARGE_BODY_BYTES), "large records arrive whole");
  // Attributes are searchable by their own names, alone and with the columns.
  assert.equal(await countEvents(url, log, "service.name=checkout"), N);
  assert.equal(await countEvents(url, log, "http.status_code>=400 AND priority<=err"), testRecords(N, offset).filter((r) => r.attributes["http.status_code"] >= 400 && r.level === "error").length);
  assert.equal(await countEvents(url, log, `deployment.environment=prod AND container=api AND host=node-7 AND unit=checkout AND trace_id=${TRACE_ID}`), testRecords(N, offset).filter((r) => r.i % 3 === 0).length);
  assert.equal(await countEvents(url, log, '"日本語のログ"'), N / 10);
}

test("the OpenTelemetry SDK's OTLP/HTTP JSON and protobuf exporters ship every record, searchable with its attributes, into the log of the token", async () => {
  const s = await startAgentServe(["otlp-json", "otlp-proto", "other"]);
  try {
    const json = new Recording(new JsonExporter({ url: `${s.url}/v1/logs`, headers: { authorization: `Bearer ${s.logs["otlp-json"]!.token}` } }));
    const proto = new Recording(new ProtoExporter({ url: `${s.url}/v1/logs`, headers: { authorization: `Basic ${Buffer.from(`otel:${s.logs["otlp-proto"]!.token}`).toString("base64")}` }, compression: "gzip" as never }));
    await Promise.all([ship(json, N, 0), ship(proto, N, 100_000)]);
    assert.ok(json.results.length > 1 && json.results.every((r) => r.code === 0), `json exports succeeded: ${JSON.stringify(json.results.filter((r) => r.code !== 0).map((r) => r.error?.message))}`);
    assert.ok(proto.results.length > 1 && proto.results.every((r) => r.code === 0), `proto exports succeeded: ${JSON.stringify(proto.results.filter((r) => r.code !== 0).map((r) => r.error?.message))}`);
    await checkLog(s.url, "otlp-json", 0);
    await checkLog(s.url, "otlp-proto", 100_000);
    assert.equal(await countEvents(s.url, "other"), 0, "nothing in another log");
  } finally {
    await s.stop();
  }
});

/** A token with its last character replaced by a different one. */
function otherLast(token: string): string {
  return token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
}

test("the OTLP exporters' export fails with 401 without a token and 403 with a wrong one, and nothing is stored", async () => {
  const s = await startAgentServe(["a"]);
  try {
    const cases = [
      { exporter: new JsonExporter({ url: `${s.url}/v1/logs` }), status: 401 },
      { exporter: new ProtoExporter({ url: `${s.url}/v1/logs`, headers: { authorization: "Bearer 00000000-0000-4000-8000-000000000000" } }), status: 403 },
      // The log's token with its last character changed (to another one: it may end in "0" already).
      { exporter: new JsonExporter({ url: `${s.url}/v1/logs`, headers: { authorization: `Bearer ${otherLast(s.logs["a"]!.token)}` } }), status: 403 },
    ];
    for (const c of cases) {
      const rec = new Recording(c.exporter);
      await ship(rec, 3, 0, false);
      assert.ok(rec.results.length >= 1);
      for (const r of rec.results) {
        assert.equal(r.code, 1, "the export failed");
        assert.equal((r.error as { code?: number } | undefined)?.code, c.status, `the exporter saw ${c.status}: ${r.error?.message}`);
      }
    }
    const res = await fetch(`${s.url}/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(res.status, 401);
    const status = (await res.json()) as { code: number; message: string };
    assert.equal(status.code, 16, "a google.rpc.Status UNAUTHENTICATED");
    assert.match(status.message, /LH_ERR_TOKEN_MISSING/);
    assert.equal(await countEvents(s.url, ""), 0, "nothing stored anywhere");
  } finally {
    await s.stop();
  }
});

test("bad OTLP input is refused clearly, nothing is misfiled, rejected records are reported in partial_success, and the server keeps answering", async () => {
  const s = await startAgentServe(["a"]);
  try {
    const auth = { authorization: `Bearer ${s.logs["a"]!.token}` };
    const post = (body: Buffer | string, headers: Record<string, string>) => fetch(`${s.url}/v1/logs`, { method: "POST", headers: { ...auth, ...headers }, body });
    // A real protobuf request, from the proto exporter's own serializer, cut short.
    const { ProtobufLogsSerializer } = await import("@opentelemetry/otlp-transformer");
    const provider = new LoggerProvider();
    let whole: Uint8Array | undefined;
    const capture: LogRecordExporter = { export: (logs, done) => { whole = ProtobufLogsSerializer.serializeRequest(logs); done({ code: 0 }); }, shutdown: async () => {}, forceFlush: async () => {} };
    const p2 = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: capture })] });
    p2.getLogger("x").emit({ body: "a body long enough to be cut in the middle", attributes: { k: "v" } });
    await p2.forceFlush();
    await provider.shutdown();
    assert.ok(whole && whole.length > 20);
    const cut = await post(Buffer.from(whole.subarray(0, whole.length - 7)), { "content-type": "application/x-protobuf" });
    assert.equal(cut.status, 400);
    assert.equal(cut.headers.get("content-type"), "application/x-protobuf", "the Status in the request's encoding");
    const bad = await post("{\"resourceLogs\": [", { "content-type": "application/json" });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /LH_ERR_BATCH: otlp: the body is not valid JSON/);
    const notArray = await post('{"resourceLogs": {"x": 1}}', { "content-type": "application/json" });
    assert.equal(notArray.status, 400);
    const gzipBomb = await post(gzipSync(Buffer.alloc(200 * 1024 * 1024)), { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(gzipBomb.status, 413);
    const notGzip = await post("plain", { "content-type": "application/json", "content-encoding": "gzip" });
    assert.equal(notGzip.status, 400);
    const wrongType = await post("x", { "content-type": "text/plain" });
    assert.equal(wrongType.status, 415);
    // One good record and two rejected ones: 200 with partial_success, the good one stored.
    const mixed = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: "kept" }, timeUnixNano: "1767225600000000000" }, 42, {}] }] }] }), { "content-type": "application/json" });
    assert.equal(mixed.status, 200);
    const answer = (await mixed.json()) as { partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string } };
    assert.equal(answer.partialSuccess?.rejectedLogRecords, "2");
    assert.match(answer.partialSuccess?.errorMessage ?? "", /log_records\[1\]: is not a LogRecord object/);
    const events = await queryEvents(s.url, "a");
    assert.deepEqual(events.map((e) => e.message), ["kept"]);
    assert.equal(events[0]!.ts_us, 1767225600000000);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200, "still answering");
  } finally {
    await s.stop();
  }
});
