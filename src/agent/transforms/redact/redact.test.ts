import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeExportEntry } from "../../../core/journal/export-encoder.js";
import { parseExport } from "../../../core/journal/export-parser.js";
import { entryOf, run, serviceFields } from "../testing.js";
import { luhnValid } from "./patterns.js";
import { RedactTransform } from "./redact.js";

const JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.POstGetfAytaZS82wHcjoTyoqhMyxXiWdR7Nn7A29DNSl0EiXLdwJ6xC6AfgZWF1bOsS_TZOJgYJ";

// [message, expected after redaction with the default patterns]
const CASES: [string, string, string][] = [
  ["a Visa test number with spaces", "charge card=4111 1111 1111 1111 amount=12.50", "charge card=[REDACTED:credit_card] amount=12.50"],
  ["a Mastercard test number with dashes", "pan 5500-0000-0000-0004 declined", "pan [REDACTED:credit_card] declined"],
  ["an Amex number (15 digits)", "amex=378282246310005", "amex=[REDACTED:credit_card]"],
  ["a 16-digit number failing the Luhn check stays", "order 4111111111111112 shipped", "order 4111111111111112 shipped"],
  ["timestamps and ids stay", "ts=1700000000123456 req=550e8400-e29b-41d4-a716-446655440000", "ts=1700000000123456 req=550e8400-e29b-41d4-a716-446655440000"],
  ["an AWS access key id", "using credentials AKIAIOSFODNN7EXAMPLE for s3", "using credentials [REDACTED:aws_key] for s3"],
  ["a temporary AWS key id", "assumed role key=ASIAY34FZKBOKMUTVV7A", "assumed role key=[REDACTED:aws_key]"],
  ["an AWS secret access key assignment", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [REDACTED:aws_key]"],
  ["a SecretAccessKey in JSON", '{"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', '{"AccessKeyId":"[REDACTED:aws_key]","SecretAccessKey":"[REDACTED:aws_key]"}'],
  ["a bearer token in a logged header", `GET /api/v1/me Authorization: Bearer ${JWT} 200`, "GET /api/v1/me Authorization: Bearer [REDACTED:bearer_token] 200"],
  ["a password in a connection URL", "connecting to postgres://app:s3cr3t-P4ss@db.internal:5432/orders", "connecting to postgres://app:[REDACTED:url_password]@db.internal:5432/orders"],
  ["a URL without a password stays", "fetch https://user@example.com/x and https://example.com:8443/y", "fetch https://user@example.com/x and https://example.com:8443/y"],
  ["e-mail addresses stay unless asked for", "mail to jane.doe@example.com queued", "mail to jane.doe@example.com queued"],
  ["several secrets in one message", "retry amqp://guest:guest@mq:5672 with card 4111-1111-1111-1111", "retry amqp://guest:[REDACTED:url_password]@mq:5672 with card [REDACTED:credit_card]"],
];

for (const [title, message, expected] of CASES) {
  test(`redact: ${title}`, () => {
    const r = new RedactTransform();
    const e = entryOf(serviceFields(message));
    const [out] = run(r, [e]);
    assert.equal(out!.get("MESSAGE"), expected);
    if (expected === message) assert.equal(out!.raw, e.raw, "an entry with nothing to redact is forwarded as the same bytes");
  });
}

test("redact: a redacted entry is re-encoded as export bytes with every other field unchanged", () => {
  const e = entryOf(serviceFields("token Bearer abcdefgh12345678 ok", { NOTE: "line1\nline2" }));
  const [out] = run(new RedactTransform(), [e]);
  const [again] = parseExport(out!.raw);
  assert.equal(again!.get("MESSAGE"), "token Bearer [REDACTED:bearer_token] ok");
  const before = e.toFieldMap();
  const after = again!.toFieldMap();
  assert.deepEqual({ ...after, MESSAGE: null }, { ...before, MESSAGE: null });
  assert.deepEqual(Object.keys(after), Object.keys(before), "field order kept");
  assert.equal(again!.cursor, e.cursor);
});

test("redact: replacements are counted per pattern, and entries with any", () => {
  const r = new RedactTransform({ patterns: ["credit_card", "email"] });
  run(r, [
    entryOf(serviceFields("a 4111111111111111 b 5500000000000004")),
    entryOf(serviceFields("to ops@example.org")),
    entryOf(serviceFields("nothing here")),
  ]);
  assert.equal(r.redactedEntries, 2);
  assert.deepEqual(r.counters(), { redacted_entries: 2, credit_card: 2, email: 1 });
});

test("redact: custom regular expressions and a custom replacement, in chosen fields", () => {
  const r = new RedactTransform({ patterns: [], custom: [{ name: "ssn", pattern: "\\b\\d{3}-\\d{2}-\\d{4}\\b" }], fields: ["MESSAGE", "USER_NOTE"], replacement: "<{name}>" });
  const [out] = run(r, [entryOf(serviceFields("ssn 078-05-1120 on file", { USER_NOTE: "also 219-09-9999" }))]);
  assert.equal(out!.get("MESSAGE"), "ssn <ssn> on file");
  assert.equal(out!.get("USER_NOTE"), "also <ssn>");
});

test("redact: a message that is not UTF-8 is redacted without changing its other bytes", () => {
  const msg = Buffer.concat([Buffer.from([0xff, 0xfe, 0x20]), Buffer.from("key AKIAIOSFODNN7EXAMPLE\x01end")]);
  const e = parseExport(encodeExportEntry([["__CURSOR", "c1"], ["MESSAGE", msg]]))[0]!;
  const [out] = run(new RedactTransform(), [e]);
  assert.deepEqual(out!.getBytes("MESSAGE"), Buffer.concat([Buffer.from([0xff, 0xfe, 0x20]), Buffer.from("key [REDACTED:aws_key]\x01end")]));
});

test("redact: the Luhn check accepts real test card numbers and rejects a changed digit", () => {
  for (const n of ["4111111111111111", "5500000000000004", "378282246310005", "6011111111111117", "4012888888881881"]) assert.ok(luhnValid(n), n);
  for (const n of ["4111111111111112", "5500000000000005"]) assert.ok(!luhnValid(n), n);
});
