import { test } from "node:test";
import assert from "node:assert/strict";
import { waitFor } from "../../../../test/harness/ingest.js";
import { startRawDatagramReceiver, startRawStreamReceiver } from "../../../../test/harness/raw-receiver.js";
import { SyslogFramer } from "../../../server/ingest/syslog/framer.js";
import { parseSyslog } from "../../../server/ingest/syslog/parse.js";
import { silentLogger } from "../../logger.js";
import { batchBody, serviceEntry } from "../testing.js";
import { SyslogSink } from "./sink.js";

const ENTRY = serviceEntry("GET / 200", { _SOURCE_REALTIME_TIMESTAMP: "1700000000654321", NOTE: 'say "hi" [x]', MESSAGE_ID: "fc2e22bc6ee647b6b90729ab34a250b1" });
const SD = '[journal@32473 __REALTIME_TIMESTAMP="1700000000123456" _HOSTNAME="node-7" _SYSTEMD_UNIT="nginx.service" SYSLOG_IDENTIFIER="nginx" _PID="1042" PRIORITY="4" SYSLOG_FACILITY="3" _SOURCE_REALTIME_TIMESTAMP="1700000000654321" NOTE="say \\"hi\\" [x\\]" MESSAGE_ID="fc2e22bc6ee647b6b90729ab34a250b1"]';
const MSG5424 = `<28>1 2023-11-14T22:13:20.654321Z node-7 nginx 1042 fc2e22bc6ee647b6b90729ab34a250b1 ${SD} GET / 200`;

function frames(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const f = new SyslogFramer(1 << 20);
  f.push(bytes, (b) => out.push(Buffer.from(b)));
  return out;
}

test("over TCP, each entry is one RFC 5424 message with octet counting, the journal fields as escaped structured data", async () => {
  const recv = await startRawStreamReceiver();
  const sink = new SyslogSink({ transport: "tcp", host: "127.0.0.1", port: recv.port, display: "syslog+tcp://x", format: "rfc5424", log: silentLogger() });
  try {
    const multi = serviceEntry("line one\nline two", { PRIORITY: "3", SYSLOG_FACILITY: "4" });
    const ack = await sink.send(batchBody([ENTRY, multi]), 2);
    assert.deepEqual(ack, { accepted: 2, duplicates: 0 });
    const first = `${Buffer.byteLength(MSG5424)} ${MSG5424}`;
    await waitFor("both messages", () => recv.all().length > first.length + 100);
    assert.ok(recv.all().toString().startsWith(first), recv.all().toString());
    const [a, b] = frames(recv.all()).map((f) => parseSyslog(f.toString())!);
    assert.equal(a!.hostname, "node-7");
    assert.equal(a!.appName, "nginx");
    assert.equal(a!.procId, "1042");
    assert.equal(a!.facility, 3);
    assert.equal(a!.severity, 4);
    assert.deepEqual(a!.sd[0]!.params.find(([k]) => k === "NOTE"), ["NOTE", 'say "hi" [x]']);
    assert.equal(b!.msg, "line one\nline two", "newlines kept inside an octet-counted frame");
    assert.equal(b!.facility * 8 + b!.severity, 35);
  } finally {
    sink.close();
    await recv.close();
  }
});

test("with format rfc3164, messages carry PRI, time, host and tag, without structured data", async () => {
  const recv = await startRawStreamReceiver();
  const sink = new SyslogSink({ transport: "tcp", host: "127.0.0.1", port: recv.port, display: "syslog+tcp://x", format: "rfc3164", log: silentLogger() });
  try {
    await sink.send(batchBody([ENTRY]), 1);
    await waitFor("a message", () => recv.all().length > 20);
    const [f] = frames(recv.all());
    assert.match(f!.toString(), /^<28>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d node-7 nginx\[1042\]: GET \/ 200$/);
    const m = parseSyslog(f!.toString())!;
    assert.equal(m.format, "rfc3164");
    assert.equal(m.hostname, "node-7");
    assert.equal(m.appName, "nginx");
  } finally {
    sink.close();
    await recv.close();
  }
});

test("over UDP, one message per datagram; a long one is cut to max_bytes and still parses", async () => {
  const recv = await startRawDatagramReceiver();
  const sink = new SyslogSink({ transport: "udp", host: "127.0.0.1", port: recv.port, display: "syslog+udp://x", format: "rfc5424", maxBytes: 1024, log: silentLogger() });
  try {
    await sink.send(batchBody([ENTRY, serviceEntry("ü".repeat(3000))]), 2);
    await waitFor("two datagrams", () => recv.datagrams.length >= 2);
    const byMsg = recv.datagrams.map((d) => d.toString());
    assert.ok(byMsg.includes(MSG5424));
    const long = recv.datagrams.find((d) => d.length > MSG5424.length)!;
    assert.ok(long.length <= 1024 && long.length >= 1022);
    const m = parseSyslog(long.toString())!;
    assert.ok(m.msg.length > 100 && /^ü+$/.test(m.msg), "cut between characters");
    assert.equal(m.sd[0]!.id, "journal@32473");
    assert.equal(sink.truncated, 1);
  } finally {
    sink.close();
    await recv.close();
  }
});
