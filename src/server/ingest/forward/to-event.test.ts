import { test } from "node:test";
import assert from "node:assert/strict";
import { recordParsedFields } from "../../storage/message-fields.js";
import { forwardEvent } from "./to-event.js";

const peer = { host: "10.0.0.9" };

test("a Docker fluentd-driver record: `log` is the message, container fields under the journald driver's names", () => {
  const ev = forwardEvent("web.1", { container_id: "abcdef0123456789abcdef", container_name: "/web-1", source: "stderr", log: "GET / 200" }, 1_700_000_000_000_000, peer, "forward")!;
  assert.equal(ev.message, "GET / 200");
  assert.equal(ev.host, "10.0.0.9");
  assert.equal(ev.tsUs, 1_700_000_000_000_000);
  assert.deepEqual(JSON.parse(ev.fieldsJson), {
    FLUENT_TAG: "web.1", CONTAINER_ID_FULL: "abcdef0123456789abcdef", CONTAINER_ID: "abcdef012345", CONTAINER_NAME: "web-1",
    source: "stderr", _TRANSPORT: "forward", _HOSTNAME: "10.0.0.9",
  });
  assert.deepEqual({ ...recordParsedFields(ev.record!, undefined) }, { source: "stderr" }, "lower-case keys become queryable; journal names are read from the fields");
});

const CASES: Array<[string, unknown, Partial<{ message: string; host: string | null; priority: number | null; fields: Record<string, unknown> }> | undefined]> = [
  ["message key", { message: "hello", level: "error" }, { message: "hello", priority: 3, fields: { level: "error" } }],
  ["msg key and a numeric level", { msg: "m", severity: 4 }, { message: "m", priority: 4 }],
  ["no message key: the record as JSON", { a: 1, b: { c: "d" } }, { message: '{"a":1,"b":{"c":"d"}}' }],
  ["host from the record", { log: "x", host: "app-3" }, { host: "app-3" }],
  ["bytes that are UTF-8 become text, others base64", { log: new Uint8Array(Buffer.from("hé")), raw: new Uint8Array([0xff, 0xfe]) }, { message: "hé", fields: { raw: { base64: "//4=" } } }],
  ["reserved names are never taken from a record", { log: "x", MESSAGE: "spoof", _TRANSPORT: "spoof", _HOSTNAME: "spoof" }, { fields: { _TRANSPORT: "forward", _HOSTNAME: "10.0.0.9" } }],
  ["a record that is not a map", "just a string", undefined],
  ["an array record", [1, 2], undefined],
];
for (const [title, record, want] of CASES) {
  test(`forward record: ${title}`, () => {
    const ev = forwardEvent("t", record, undefined, peer, "forward");
    if (want === undefined) return assert.equal(ev, undefined);
    assert.ok(ev);
    if (want.message !== undefined) assert.equal(ev.message, want.message);
    if (want.host !== undefined) assert.equal(ev.host, want.host);
    if (want.priority !== undefined) assert.equal(ev.priority, want.priority);
    const fields = JSON.parse(ev.fieldsJson) as Record<string, unknown>;
    for (const [k, v] of Object.entries(want.fields ?? {})) assert.deepEqual(fields[k], v, k);
  });
}
