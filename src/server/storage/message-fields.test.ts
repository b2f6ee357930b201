import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMessageFields } from "./message-fields.js";

test("parses JSON messages into dot-path fields, arrays by index, the last duplicate key winning", () => {
  const table: Array<[string, Record<string, string | number> | undefined]> = [
    ['{"a":1,"b":"x"}', { a: 1, b: "x" }],
    ['  {"req":{"method":"GET","status":503}}  ', { "req.method": "GET", "req.status": 503 }],
    ['{"items":[{"id":"i1"},{"id":"i2"}],"tags":["a","b"]}', { "items.0.id": "i1", "items.1.id": "i2", "tags.0": "a", "tags.1": "b" }],
    ['{"ms":1,"ms":2}', { ms: 2 }],
    ['{"ok":true,"no":false,"nothing":null}', { ok: "true", no: "false" }],
    ['{"__proto__":{"x":1}}', { "__proto__.x": 1 }],
    ["{}", undefined],
    ["{not json}", undefined],
    ["[1,2]", undefined],
    ['{"a":1} trailing', undefined],
  ];
  for (const [msg, want] of table) {
    const got = parseMessageFields(msg);
    assert.deepEqual(got === undefined ? undefined : { ...got }, want, msg);
  }
});

test("extracts key=value pairs from plain messages, numbers as numbers, quoted values unquoted", () => {
  const table: Array<[string, Record<string, string | number> | undefined]> = [
    ["GET /a status=503 ms=12.5", { status: 503, ms: 12.5 }],
    ['level=info msg="shim disconnected" id=abc namespace=k8s.io', { level: "info", msg: "shim disconnected", id: "abc", namespace: "k8s.io" }],
    ['user="a \\"b\\"" n=1 n=2', { user: 'a "b"', n: 2 }],
    ["code=007 v=-3 big=12345678901234567890 e=1e3", { code: "007", v: -3, big: "12345678901234567890", e: "1e3" }],
    ["empty= next=x", { empty: "", next: "x" }],
    ["a=1,b=2;c=3", { a: 1, b: 2, c: 3 }],
    ["x==y", { x: "=y" }],
    ["1=2 =3 no equals here", undefined],
    ["plain message", undefined],
    ["rt=0.012 urt=-", { rt: 0.012, urt: "-" }],
  ];
  for (const [msg, want] of table) {
    const got = parseMessageFields(msg);
    assert.deepEqual(got === undefined ? undefined : { ...got }, want, msg);
  }
});
