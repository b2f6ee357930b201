import { test } from "node:test";
import assert from "node:assert/strict";
import {
  encodeDatagram, encodeRfc3164, encodeRfc5424, encodeStructuredData, escapeSdValue, headerField, octetCountingFrame,
  rfc5424Timestamp, truncateUtf8, type SyslogMessage,
} from "./syslog.js";

const US = Date.UTC(2023, 10, 14, 22, 13, 20) * 1000 + 123456;

function msg(over: Partial<SyslogMessage> = {}): SyslogMessage {
  return {
    facility: 3, severity: 4, timestampUs: US, hostname: "node-7", appName: "nginx", procId: "1042", msgId: undefined,
    sd: [], msg: Buffer.from("hello"), ...over,
  };
}

test("structured data values escape \", \\ and ] with a backslash and nothing else", () => {
  const table: Array<[string, string]> = [
    ["plain", "plain"],
    ['say "hi"', 'say \\"hi\\"'],
    ["C:\\dir", "C:\\\\dir"],
    ["[x]", "[x\\]"],
    ["multi\nline ünï", "multi\nline ünï"],
  ];
  for (const [v, want] of table) assert.equal(escapeSdValue(v), want, v);
});

test("structured data skips names that are not SD-NAMEs and is NILVALUE when empty", () => {
  assert.equal(encodeStructuredData([]), "-");
  assert.equal(encodeStructuredData([{ id: "journal@32473", params: [["A", "1"], ["BAD NAME", "x"], ["X".repeat(33), "y"], ["B", "]"]] }]), '[journal@32473 A="1" B="\\]"]');
  assert.equal(encodeStructuredData([{ id: "bad id", params: [["A", "1"]] }]), "-");
});

test("header fields keep printable US-ASCII only, are bounded, and are NILVALUE when empty", () => {
  assert.equal(headerField(undefined, 48), "-");
  assert.equal(headerField("", 48), "-");
  assert.equal(headerField("my app", 48), "my_app");
  assert.equal(headerField("x".repeat(60), 48), "x".repeat(48));
});

test("RFC 5424 timestamps are UTC with microseconds", () => {
  assert.equal(rfc5424Timestamp(US), "2023-11-14T22:13:20.123456Z");
  assert.equal(rfc5424Timestamp(undefined), "-");
});

test("an RFC 5424 message is PRI, version, header, structured data and the message bytes", () => {
  const m = msg({ sd: [{ id: "journal@32473", params: [["_SYSTEMD_UNIT", "nginx.service"]] }] });
  assert.equal(encodeRfc5424(m).toString(), '<28>1 2023-11-14T22:13:20.123456Z node-7 nginx 1042 - [journal@32473 _SYSTEMD_UNIT="nginx.service"] hello');
  assert.equal(encodeRfc5424(msg({ msg: Buffer.alloc(0), procId: undefined })).toString(), "<28>1 2023-11-14T22:13:20.123456Z node-7 nginx - - -");
});

test("an RFC 3164 message is PRI, local timestamp, host and tag", () => {
  const s = encodeRfc3164(msg()).toString();
  assert.match(s, /^<28>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d node-7 nginx\[1042\]: hello$/);
});

test("octet counting prefixes the byte length, not the character count", () => {
  assert.equal(octetCountingFrame(Buffer.from("ünï")).toString(), "5 ünï");
});

test("truncation never ends inside a UTF-8 sequence", () => {
  const b = Buffer.from("aé€😀");
  for (let max = 0; max <= b.length; max++) {
    const t = truncateUtf8(b, max);
    assert.ok(t.length <= max);
    assert.equal(Buffer.from(t.toString("utf8")).length, t.length, `max ${max}: a whole number of characters`);
  }
});

test("a datagram too long is cut in its message; when the structured data alone is too long it is dropped", () => {
  const long = msg({ msg: Buffer.from("é".repeat(1000)) });
  const d = encodeDatagram(long, "rfc5424", 600);
  assert.ok(d.truncated && d.bytes.length <= 600 && d.bytes.length >= 598);
  assert.ok(d.bytes.toString().startsWith("<28>1 2023-11-14T22:13:20.123456Z node-7 nginx 1042 - - éé"));
  assert.ok(!d.bytes.toString().includes("\uFFFD"));

  const bigSd = msg({ sd: [{ id: "journal@32473", params: [["BIG", "x".repeat(700)]] }] });
  const e = encodeDatagram(bigSd, "rfc5424", 600);
  assert.equal(e.bytes.toString(), "<28>1 2023-11-14T22:13:20.123456Z node-7 nginx 1042 - - hello");

  const fits = encodeDatagram(msg(), "rfc5424", 600);
  assert.equal(fits.truncated, false);
  assert.deepEqual(fits.bytes, encodeRfc5424(msg()));
});
