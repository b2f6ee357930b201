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

test("parses access-log lines (common and combined), klog lines and a leading level, with the key=value pairs after them", () => {
  const table: Array<[string, Record<string, string | number> | undefined]> = [
    [
      '10.0.0.7 - - [04/Dec/2026:02:17:47 +0000] "GET /api/orders?id=3 HTTP/1.1" 503 182 "-" "curl/8.5.0" rt=0.052 urt=0.050',
      {
        remote_addr: "10.0.0.7", method: "GET",
        path: "/api/orders?id=3", protocol: "HTTP/1.1", status: 503, body_bytes_sent: 182, http_user_agent: "curl/8.5.0", rt: 0.052, urt: 0.05,
      },
    ],
    [
      '192.168.1.20 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      { remote_addr: "192.168.1.20", remote_user: "frank", method: "GET", path: "/apache_pb.gif", protocol: "HTTP/1.0", status: 200, body_bytes_sent: 2326 },
    ],
    ['::1 - - [04/Dec/2026:02:17:47 +0000] "-" 400 0 "-" "-"', { remote_addr: "::1", status: 400, body_bytes_sent: 0 }],
    [
      'E1204 02:17:47.676003    1501 pod_workers.go:1298] "Error syncing pod, skipping" err="back-off" pod="default/orders-api-7d9f"',
      { level: "error", thread: 1501, source: "pod_workers.go:1298", err: "back-off", pod: "default/orders-api-7d9f" },
    ],
    ['I1204 02:17:47.000001 7 kubelet.go:2461] "SyncLoop"', { level: "info", thread: 7, source: "kubelet.go:2461" }],
    ["2024/03/12 10:15:32 [error] 12#12: *4567 upstream timed out, client: 10.0.0.1", { level: "error" }],
    ["[WARN] disk almost full used=93", { level: "warning", used: 93 }],
    ["ERROR: relation \"orders\" does not exist", { level: "error" }],
    ["warning: deprecated flag", { level: "warning" }],
    ["DEBUG cache warm", { level: "debug" }],
    ["Debug mode enabled", undefined],
    ["Errors happen", undefined],
    ["10.0.0.7 said hello", undefined],
    ["I12 short", undefined],
  ];
  for (const [msg, want] of table) {
    const got = parseMessageFields(msg);
    assert.deepEqual(got === undefined ? undefined : { ...got }, want, msg);
  }
});
