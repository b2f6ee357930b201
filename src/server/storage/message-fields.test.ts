import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMessageFields } from "./message-fields.js";
import { seededRandom } from "../../../test/harness/fault.js";

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
    ['a="unterminated b=\'x c=1', { a: '"unterminated', b: "'x", c: 1 }],
  ];
  for (const [msg, want] of table) {
    const got = parseMessageFields(msg);
    assert.deepEqual(got === undefined ? undefined : { ...got }, want, msg);
  }
});

// The scanner must do exactly what the regular expression it replaced did with global matching:
// compared on generated messages full of the characters that matter (quotes, escapes, separators,
// line terminators, Unicode spaces, long keys).
const KV_SPEC = /(?:^|[\s,;])([A-Za-z_][\w.\-]{0,127})=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;]*)/g;
const DECIMAL_SPEC = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$/;

function keyValuesBySpec(message: string): Record<string, string | number> | undefined {
  let out: Record<string, string | number> | undefined;
  KV_SPEC.lastIndex = 0;
  for (let m = KV_SPEC.exec(message); m !== null; m = KV_SPEC.exec(message)) {
    const raw = m[2]!;
    let value: string | number;
    // Unquoted only when the quoted form is complete: an unterminated quote is kept as text.
    if (/^"(?:[^"\\]|\\.)*"$/.test(raw)) value = raw.slice(1, -1).replace(/\\(.)/g, "$1");
    else if (/^'[^']*'$/.test(raw)) value = raw.slice(1, -1);
    else value = DECIMAL_SPEC.test(raw) ? Number(raw) : raw;
    (out ??= {})[m[1]!] = value;
  }
  return out;
}

test("key=value scanning matches its regular-expression definition on generated messages", () => {
  const random = seededRandom(20261127);
  const pieces = [
    "a", "k", "Z", "_", "7", "0", ".", "-", "=", "==", '"', "'", "\\", "\\\"", " ", ",", ";", "\t", "\n", "\r", "\u2028", "\u00a0", "\u3000",
    "é", "😀", "key", "status", "503", "-3", "1.5", "007", "x".repeat(127), "y".repeat(128), "{",
  ];
  let compared = 0;
  for (let i = 0; i < 200_000; i++) {
    let m = "";
    const len = 1 + Math.floor(random() * 24);
    for (let k = 0; k < len; k++) m += pieces[Math.floor(random() * pieces.length)];
    if (m.startsWith("{") || !m.includes("=")) continue;
    const got = parseMessageFields(m);
    assert.deepEqual(got === undefined ? undefined : { ...got }, keyValuesBySpec(m), JSON.stringify(m));
    compared++;
  }
  assert.ok(compared > 80_000, `compared ${compared}`);
});
