import { test } from "node:test";
import assert from "node:assert/strict";
import { parseBulk } from "./bulk-parse.js";
import { DEFAULT_MSG_FIELDS, DEFAULT_TIME_FIELDS } from "./field-options.js";
import { documentEvent } from "./to-event.js";
import { RecordEvents } from "../common/record-events.js";

test("a bulk body parses into items: index/create with documents, failed items for bad documents, update and delete", () => {
  const items = parseBulk(Buffer.from('{"index":{"_index":"a","_id":7}}\r\n{"message":"x"}\n\n{"create":{}}\n"str"\n{"delete":{"_id":"1"}}\n{"update":{}}\n{"doc":{}}\n{"create":{}}\n{"m":1}'));
  assert.deepEqual(items.map((i) => [i.op, i.index, i.id, i.doc === undefined ? i.error!.type : "ok"]), [
    ["index", "a", "7", "ok"], ["create", undefined, undefined, "document_parsing_exception"], ["delete", undefined, "1", "illegal_argument_exception"],
    ["update", undefined, undefined, "illegal_argument_exception"], ["create", undefined, undefined, "ok"],
  ]);
});

test("a malformed bulk body is refused whole, naming the line", () => {
  for (const [body, said] of [['{"create":{}}', /line 1: the create action has no document line/], ['{"x":{}}\n{}', /line 1: expected an action/], ['{"create":{}}\n{}\n[', /line 3: the action line is not JSON/], ['{"create":{},"index":{}}\n{}', /line 1: expected an action/]] as const) {
    assert.throws(() => parseBulk(Buffer.from(body)), (e: Error) => said.test(e.message), body);
  }
});

test("a document becomes an event: message and time fields taken out, the rest as dot paths, columns from ECS names", () => {
  const doc = { "@timestamp": "2026-01-02T03:04:05.000006Z", message: "hi", log: { level: "warn" }, host: { name: "h" }, service: { name: "s" }, container: { name: "c" }, tags: ["a"], n: null };
  const ev = documentEvent(doc, JSON.stringify(doc), "idx", { msgFields: DEFAULT_MSG_FIELDS, timeFields: DEFAULT_TIME_FIELDS, ignoreFields: new Set(["service.name"]) }, { peer: "p", maxRecordBytes: 100, nowUs: 1, make: new RecordEvents("elasticsearch") });
  assert.equal(ev.message, "hi");
  assert.equal(ev.tsUs, Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 + 6);
  assert.equal(ev.priority, 4);
  assert.equal(ev.host, "h");
  assert.equal(ev.unit, null, "ignore_fields drops service.name");
  assert.deepEqual({ ...ev.attributes }, { "log.level": "warn", "host.name": "h", "container.name": "c", "tags.0": "a", _index: "idx" });
  const noMsg = documentEvent({ a: 1 }, '{"a":1}', "i", { msgFields: DEFAULT_MSG_FIELDS, timeFields: DEFAULT_TIME_FIELDS, ignoreFields: new Set() }, { peer: "p", maxRecordBytes: 100, nowUs: 5, make: new RecordEvents("elasticsearch") });
  assert.equal(noMsg.message, '{"a":1}', "no message field: the document as sent");
  assert.equal(noMsg.tsUs, 5);
  assert.equal(noMsg.host, "p");
});
