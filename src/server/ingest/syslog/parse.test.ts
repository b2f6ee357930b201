import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSyslog } from "./parse.js";

test("RFC 5424 with structured data, escapes and a BOM", () => {
  const m = parseSyslog('<165>1 2003-10-11T22:14:15.003Z host1 evntslog 42 ID47 [exampleSDID@32473 iut="3" x="a\\"b\\]c"][t@1] \uFEFFAn application event')!;
  assert.equal(m.format, "rfc5424");
  assert.equal(m.facility, 20);
  assert.equal(m.severity, 5);
  assert.equal(m.hostname, "host1");
  assert.equal(m.appName, "evntslog");
  assert.equal(m.procId, "42");
  assert.equal(m.msgId, "ID47");
  assert.deepEqual(m.sd, [{ id: "exampleSDID@32473", params: [["iut", "3"], ["x", 'a"b]c']] }, { id: "t@1", params: [] }]);
  assert.equal(m.msg, "An application event");
});

test("RFC 5424 with nil values and no message", () => {
  const m = parseSyslog("<13>1 - - - - - -")!;
  assert.deepEqual([m.timestamp, m.hostname, m.appName, m.msg, m.sd], [undefined, undefined, undefined, "", []]);
});

test("RFC 3164 with host, tag and pid; without a timestamp only the tag", () => {
  const a = parseSyslog("<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed")!;
  assert.deepEqual([a.format, a.facility, a.severity, a.hostname, a.appName, a.procId, a.msg], ["rfc3164", 4, 2, "mymachine", "su", "230", "'su root' failed"]);
  const b = parseSyslog("<13>cron: hello")!;
  assert.deepEqual([b.hostname, b.appName, b.msg], [undefined, "cron", "hello"]);
});

const MALFORMED = ["no pri", "<999>1 x", "<13>1 - - - - - [unterminated", "<13>1 a b", "<13>1 - - - - - x", "<a>1"];
for (const text of MALFORMED) {
  test(`malformed syslog is refused: ${JSON.stringify(text)}`, () => {
    assert.equal(parseSyslog(text), undefined);
  });
}
