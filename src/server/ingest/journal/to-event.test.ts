import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExport } from "../../../core/journal/export-parser.js";
import { encodeExportEntry, type ExportField } from "../../../core/journal/export-encoder.js";
import { journalEntryToEvent } from "./to-event.js";

function convert(fields: ExportField[], now = 42) {
  const [entry] = parseExport(encodeExportEntry(fields));
  return journalEntryToEvent(entry!, now);
}

const cursor = "s=db93973e065c4cb092634d1c6afd477b;i=1a;b=0123456789abcdef0123456789abcdef;m=3e8;t=60a24181e4000;x=68fb";

test("takes time, host, unit, priority and message from the journal fields and keeps every field", () => {
  const e = convert([
    ["__CURSOR", cursor],
    ["__REALTIME_TIMESTAMP", "1700000000000001"],
    ["_SOURCE_REALTIME_TIMESTAMP", "1600000000000000"],
    ["_HOSTNAME", "web-1"],
    ["_SYSTEMD_UNIT", "nginx.service"],
    ["PRIORITY", "3"],
    ["MESSAGE", "line one\nline two"],
    ["CONTAINER_NAME", "api"],
    ["TAG", "a"],
    ["TAG", "b"],
  ]);
  assert.equal(e.ident, "s:db93973e065c4cb092634d1c6afd477b:1a");
  assert.equal(e.tsUs, 1700000000000001);
  assert.equal(e.host, "web-1");
  assert.equal(e.unit, "nginx.service");
  assert.equal(e.priority, 3);
  assert.equal(e.message, "line one\nline two");
  const f = JSON.parse(e.fieldsJson) as Record<string, unknown>;
  assert.equal(f["CONTAINER_NAME"], "api");
  assert.deepEqual(f["TAG"], ["a", "b"]);
  assert.equal(f["__CURSOR"], cursor);
  assert.equal(f["MESSAGE"], undefined, "a text message is kept once, in its column");
  assert.equal(Object.keys(f).length, 8);
});

test("falls back to the source timestamp, then to now, and leaves absent columns null", () => {
  assert.equal(convert([["_SOURCE_REALTIME_TIMESTAMP", "1600000000000000"], ["MESSAGE", "x"]]).tsUs, 1600000000000000);
  const e = convert([["MESSAGE", "x"], ["PRIORITY", "9"]], 1234);
  assert.equal(e.tsUs, 1234);
  assert.deepEqual([e.host, e.unit, e.priority], [null, null, null]);
  assert.equal(convert([["FOO", "bar"]]).message, "");
});

test("makes a readable message of invalid UTF-8 and keeps the raw bytes as base64", () => {
  const raw = Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x21]);
  const e = convert([["MESSAGE", raw], ["BIN", Buffer.from([0, 1, 2, 0x0a])]]);
  assert.equal(e.message, "ok\ufffd\ufffd!");
  const f = JSON.parse(e.fieldsJson) as Record<string, { base64: string } | string>;
  assert.deepEqual(f["MESSAGE"], { base64: raw.toString("base64") });
  assert.equal(f["BIN"], "\u0000\u0001\u0002\n", "binary-encoded but valid UTF-8 stays text");
});

test("identifies entries without journal identity by their content", () => {
  const a = convert([["MESSAGE", "same"]]);
  const b = convert([["MESSAGE", "same"]]);
  const c = convert([["MESSAGE", "other"]]);
  assert.equal(a.ident, b.ident);
  assert.notEqual(a.ident, c.ident);
  assert.match(a.ident, /^h:/);
});

test("writes the fields' JSON as JSON.stringify of the fields would, whatever the values and names", () => {
  const cases: ExportField[][] = [
    [["MESSAGE", "m"], ["Q", 'say "hi" \\ back\tslash\u0001'], ["A_B", ""], ["__proto__", "x"]],
    [["MESSAGE", "first"], ["MESSAGE", "second"], ["X", "1"]],
    [["9LIVES", "digit first"], ["B", "b"], ["A", "a"]],
    [["X", "1"], ["Y", "2"], ["X", "3"], ["X", "4"]],
  ];
  for (const fields of cases) {
    const e = convert(fields);
    const expected: Record<string, unknown> = {};
    let messageTaken = false;
    for (const [name, value] of fields) {
      if (name === "MESSAGE" && !messageTaken) {
        messageTaken = true;
        continue;
      }
      const prev = Object.hasOwn(expected, name) ? expected[name] : undefined;
      const v = typeof value === "string" ? value : value.toString("utf8");
      if (prev === undefined) Object.defineProperty(expected, name, { value: v, enumerable: true, writable: true, configurable: true });
      else expected[name] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    assert.equal(e.fieldsJson, JSON.stringify(expected), JSON.stringify(fields));
  }
});

test("takes the identity from the sequence number fields, else the cursor, else boot id and monotonic time", () => {
  const seq = convert([["__SEQNUM_ID", "aa"], ["__SEQNUM", "255"], ["__CURSOR", cursor], ["MESSAGE", "x"]]);
  assert.equal(seq.ident, "s:aa:ff");
  const bootCursor = convert([["__CURSOR", "b=bb;m=10;t=1"], ["MESSAGE", "x"]]);
  assert.equal(bootCursor.ident, "b:bb:10");
  const fields = convert([["_BOOT_ID", "cc"], ["__MONOTONIC_TIMESTAMP", "16"], ["MESSAGE", "x"]]);
  assert.equal(fields.ident, "b:cc:10");
  const onlyCursor = convert([["__CURSOR", "odd"], ["MESSAGE", "x"]]);
  assert.equal(onlyCursor.ident, "c:odd");
});
