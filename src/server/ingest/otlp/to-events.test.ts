import { test } from "node:test";
import assert from "node:assert/strict";
import { ExportLogsServiceRequest } from "./schema.js";
import { decodeOtlpRequest } from "./decode.js";
import { otlpEvents } from "./to-events.js";

const kv = (key: string, value: object) => ({ key, value });
const request = {
  resourceLogs: [{
    resource: { attributes: [kv("service.name", { stringValue: "checkout" }), kv("host.name", { stringValue: "n1" }), kv("k8s.container.name", { stringValue: "api" })] },
    scopeLogs: [{
      scope: { name: "lib", version: "2", attributes: [kv("service.name", { stringValue: "scope-wins" })] },
      logRecords: [
        {
          timeUnixNano: "1767225600123456789", severityNumber: 17, body: { kvlistValue: { values: [kv("order", { kvlistValue: { values: [kv("id", { intValue: "42" })] } })] } },
          attributes: [kv("big", { intValue: "9007199254740993" }), kv("ok", { boolValue: true }), kv("ratio", { doubleValue: 0.5 }), kv("tags", { arrayValue: { values: [{ stringValue: "a" }, { stringValue: "b" }] } }), kv("raw", { bytesValue: "AQI=" })],
          traceId: "4BF92F3577B34DA6A3CE929D0E0E4736", spanId: "00f067aa0ba902b7",
        },
        { observedTimeUnixNano: "1767225600000001000", severityText: "warning", eventName: "login" },
        {},
      ],
    }],
  }],
};

test("OTLP/JSON records become events: attributes as dot-path fields, columns, severity, ids, times; an empty record is rejected", () => {
  const r = otlpEvents(decodeOtlpRequest(Buffer.from(JSON.stringify(request)), "json"), { peer: "10.0.0.1", maxRecordBytes: 1024, nowUs: 1 });
  assert.equal(r.rejected, 1);
  assert.match(r.firstError!, /log_records\[2\]: has no body, no attributes and no event_name/);
  const [a, b] = r.events;
  assert.equal(a!.message, '{"order":{"id":42}}');
  assert.equal(a!.tsUs, 1767225600123456);
  assert.equal(a!.priority, 3);
  assert.equal(a!.host, "n1");
  assert.equal(a!.unit, "scope-wins");
  assert.deepEqual(JSON.parse(a!.fieldsJson), { _TRANSPORT: "otlp", _HOSTNAME: "n1", CONTAINER_NAME: "api" });
  assert.deepEqual(a!.attributes, {
    "service.name": "scope-wins", "host.name": "n1", "k8s.container.name": "api", "scope.name": "lib", "scope.version": "2",
    big: "9007199254740993", ok: "true", ratio: 0.5, "tags.0": "a", "tags.1": "b", raw: "AQI=", severity: "ERROR", severity_number: 17,
    trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7",
  });
  assert.equal(b!.message, "login");
  assert.equal(b!.tsUs, 1767225600000001, "observed time when there is no time");
  assert.equal(b!.priority, 4);
  assert.equal(b!.attributes?.["event.name"], "login");
});

test("the protobuf form gives the same events as OTLP/JSON", () => {
  const msg = ExportLogsServiceRequest.fromObject({
    resourceLogs: [{ resource: { attributes: [kv("host.name", { stringValue: "n1" })] }, scopeLogs: [{ logRecords: [{ timeUnixNano: "1767225600123456789", severityNumber: 9, body: { stringValue: "hi" }, traceId: Buffer.from("4bf92f3577b34da6a3ce929d0e0e4736", "hex"), attributes: [kv("n", { intValue: 7 })] }] }] }],
  });
  const bytes = Buffer.from(ExportLogsServiceRequest.encode(msg).finish());
  const [e] = otlpEvents(decodeOtlpRequest(bytes, "protobuf"), { peer: null, maxRecordBytes: 1024 }).events;
  assert.equal(e!.message, "hi");
  assert.equal(e!.tsUs, 1767225600123456);
  assert.equal(e!.priority, 6);
  assert.deepEqual(e!.attributes, { "host.name": "n1", n: 7, severity: "INFO", severity_number: 9, trace_id: "4bf92f3577b34da6a3ce929d0e0e4736" });
  assert.throws(() => decodeOtlpRequest(bytes.subarray(0, bytes.length - 3), "protobuf"), /otlp: the body is not a valid protobuf ExportLogsServiceRequest/);
});

test("a record's body longer than the limit is cut at a character boundary and flagged", () => {
  const body = "é".repeat(600);
  const [e] = otlpEvents({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: body } }] }] }] }, { peer: null, maxRecordBytes: 1001 }).events;
  assert.equal(e!.message, "é".repeat(500));
  assert.equal(JSON.parse(e!.fieldsJson)["_LOGHARBOR_TRUNCATED"], "1");
});
