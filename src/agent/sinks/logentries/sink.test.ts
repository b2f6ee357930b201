import { test } from "node:test";
import assert from "node:assert/strict";
import { makeCert } from "../../../../test/harness/ingest.js";
import { tempDir } from "../../../../test/harness/paths.js";
import { startRawStreamReceiver } from "../../../../test/harness/raw-receiver.js";
import { waitFor } from "../../../../test/harness/ingest.js";
import { silentLogger } from "../../logger.js";
import { clientSecureContext } from "../common/tls-trust.js";
import { batchBody, serviceEntry } from "../testing.js";
import { DEFAULT_JSON_FIELDS, parseLineFormat, type LineFormat } from "./format.js";
import { parseTokenRule, type TokenRoutes, type TokenRule } from "./routing.js";
import { LogentriesSink } from "./sink.js";

const A = "aaaaaaaa-1111-4111-8111-111111111111";
const B = "bbbbbbbb-2222-4222-8222-222222222222";
const C = "cccccccc-3333-4333-8333-333333333333";
const D = "dddddddd-4444-4444-8444-444444444444";
const MESSAGE: LineFormat = { kind: "message", fields: DEFAULT_JSON_FIELDS };
const FAST = { initialMs: 5, maxMs: 20 };

function rules(...specs: string[]): TokenRule[] {
  return specs.map((s) => parseTokenRule(s) as TokenRule);
}

function tcpSink(port: number, routes: TokenRoutes, format: LineFormat = MESSAGE, onRetry?: (r: { reason: string }) => void): LogentriesSink {
  return new LogentriesSink({
    target: { transport: "tcp", host: "127.0.0.1", port }, display: `logentries+tcp://127.0.0.1:${port}`,
    routes, format, log: silentLogger(), backoff: FAST, ...(onRetry ? { onRetry } : {}),
  });
}

test("over TLS verified with the CA file, the bytes are exactly `TOKEN message\\n`, newlines as U+2028", async () => {
  const dir = tempDir();
  const cert = makeCert(dir.path);
  const recv = await startRawStreamReceiver({ cert });
  const sink = new LogentriesSink({
    target: { transport: "tls", host: "localhost", port: recv.port, secureContext: clientSecureContext(cert.cert) },
    display: "logentries+tls://localhost", routes: { defaultToken: A, rules: [] }, format: MESSAGE, log: silentLogger(),
  });
  try {
    const ack = await sink.send(batchBody([serviceEntry("one"), serviceEntry("Error: boom\n  at f (a.js:1)\r\n  at g"), serviceEntry("ünïcødé")]), 3);
    assert.deepEqual(ack, { accepted: 3, duplicates: 0 });
    await waitFor("the bytes", () => recv.all().length >= 3 * 37);
    assert.equal(recv.all().toString("utf8"), `${A} one\n${A} Error: boom\u2028  at f (a.js:1)\u2028  at g\n${A} ünïcødé\n`);
  } finally {
    sink.close();
    await recv.close();
    dir.dispose();
  }
});

test("routes by unit, identifier and container: the first matching rule wins, else the default token", async () => {
  const recv = await startRawStreamReceiver();
  const sink = tcpSink(recv.port, { defaultToken: D, rules: rules(`unit:nginx=${A}`, `identifier:sshd=${B}`, `container:web-1=${C}`) });
  try {
    await sink.send(batchBody([
      serviceEntry("n"),
      serviceEntry("s", { _SYSTEMD_UNIT: "ssh.service", SYSLOG_IDENTIFIER: "sshd" }),
      serviceEntry("c", { _SYSTEMD_UNIT: "docker.service", SYSLOG_IDENTIFIER: "web", CONTAINER_NAME: "web-1" }),
      serviceEntry("o", { _SYSTEMD_UNIT: "cron.service", SYSLOG_IDENTIFIER: "cron" }),
      serviceEntry("both", { SYSLOG_IDENTIFIER: "sshd" }),
    ]), 5);
    await waitFor("5 lines", () => recv.all().toString().split("\n").length > 5);
    assert.equal(recv.all().toString(), `${A} n\n${B} s\n${C} c\n${D} o\n${A} both\n`);
  } finally {
    sink.close();
    await recv.close();
  }
});

test("without a default token, entries no rule matches are not shipped, and counted", async () => {
  const recv = await startRawStreamReceiver();
  const sink = tcpSink(recv.port, { defaultToken: undefined, rules: rules(`unit:nginx.service=${A}`) });
  try {
    const ack = await sink.send(batchBody([serviceEntry("kept"), serviceEntry("skipped", { _SYSTEMD_UNIT: "cron.service" })]), 2);
    assert.deepEqual(ack, { accepted: 1, duplicates: 0 });
    assert.equal(sink.stats.unrouted, 1);
    await waitFor("a line", () => recv.all().includes(10));
    assert.equal(recv.all().toString(), `${A} kept\n`);
  } finally {
    sink.close();
    await recv.close();
  }
});

test("json format: the selected fields as one JSON line, U+2028 inside a value escaped so it stays one line", async () => {
  const recv = await startRawStreamReceiver();
  const f = parseLineFormat("json", "MESSAGE,_SYSTEMD_UNIT,PRIORITY,CONTAINER_NAME") as LineFormat;
  const sink = tcpSink(recv.port, { defaultToken: A, rules: [] }, f);
  try {
    await sink.send(batchBody([serviceEntry("two\nlines \u2028 sep")]), 1);
    await waitFor("a line", () => recv.all().includes(10));
    const line = recv.all().toString();
    assert.equal(line, `${A} {"MESSAGE":"two\\nlines \\u2028 sep","_SYSTEMD_UNIT":"nginx.service","PRIORITY":"4"}\n`);
    assert.deepEqual(JSON.parse(line.slice(37)), { MESSAGE: "two\nlines \u2028 sep", _SYSTEMD_UNIT: "nginx.service", PRIORITY: "4" });
  } finally {
    sink.close();
    await recv.close();
  }
});

test("short format reads like journalctl -o short: time, host, identifier[pid]: message", async () => {
  const recv = await startRawStreamReceiver();
  const sink = tcpSink(recv.port, { defaultToken: A, rules: [] }, parseLineFormat("short", undefined) as LineFormat);
  try {
    await sink.send(batchBody([serviceEntry("started")]), 1);
    await waitFor("a line", () => recv.all().includes(10));
    assert.match(recv.all().toString(), new RegExp(`^${A} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d node-7 nginx\\[1042\\]: started\\n$`));
  } finally {
    sink.close();
    await recv.close();
  }
});

test("after the receiver closes an idle connection, the next batches go once each, in order, on a new connection", async () => {
  const recv = await startRawStreamReceiver();
  const sink = tcpSink(recv.port, { defaultToken: A, rules: [] });
  try {
    await sink.send(batchBody([serviceEntry("first")]), 1);
    await waitFor("the first line", () => recv.all().includes(10));
    recv.dropConnections();
    await waitFor("the sink to notice the close", () => !sink.connected);
    await Promise.all([1, 2, 3].map((i) => sink.send(batchBody([serviceEntry(`after ${i}`)]), 1)));
    await waitFor("three more lines", () => recv.all().toString().split("\n").length >= 5);
    assert.equal(recv.connections.length, 2);
    assert.equal(recv.connections[1]!.toString(), `${A} after 1\n${A} after 2\n${A} after 3\n`);
    assert.equal(sink.replayed, 0);
  } finally {
    sink.close();
    await recv.close();
  }
});

test("a batch written into a connection the receiver is closing at that moment is written again on the next: at least once, never lost", async () => {
  const recv = await startRawStreamReceiver();
  const sink = tcpSink(recv.port, { defaultToken: A, rules: [] });
  try {
    await sink.send(batchBody([serviceEntry("first")]), 1);
    await waitFor("the first line", () => recv.all().includes(10));
    recv.dropConnections();
    for (const i of [1, 2, 3]) await sink.send(batchBody([serviceEntry(`after ${i}`)]), 1);
    await waitFor("every line on a later connection", () => recv.connections.slice(1).map(String).join("").includes("after 3"));
    const lines = recv.all().toString().trim().split("\n").map((l) => l.slice(37));
    assert.deepEqual([...new Set(lines)].sort(), ["after 1", "after 2", "after 3", "first"]);
  } finally {
    sink.close();
    await recv.close();
  }
});

test("retries with backoff while nothing listens, and delivers once the receiver is up", async () => {
  const probe = await startRawStreamReceiver();
  const port = probe.port;
  await probe.close();
  const reasons: string[] = [];
  const sink = tcpSink(port, { defaultToken: A, rules: [] }, MESSAGE, (r) => reasons.push(r.reason));
  try {
    const sent = sink.send(batchBody([serviceEntry("eventually")]), 1);
    await waitFor("two failed attempts", () => reasons.length >= 2);
    assert.match(reasons[0]!, /ECONNREFUSED/);
    const { createServer } = await import("node:net");
    let got = "";
    const server = createServer((s) => s.on("data", (d) => (got += d.toString())));
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    try {
      await sent;
      await waitFor("the line", () => got.includes("\n"));
      assert.equal(got, `${A} eventually\n`);
    } finally {
      server.close();
      sink.close();
    }
  } finally {
    sink.close();
  }
});

test("a server whose certificate is not trusted gets nothing; the sink says why and keeps retrying until closed", async () => {
  const dir = tempDir();
  const cert = makeCert(dir.path);
  const recv = await startRawStreamReceiver({ cert });
  const reasons: string[] = [];
  const sink = new LogentriesSink({
    target: { transport: "tls", host: "localhost", port: recv.port, secureContext: clientSecureContext(undefined, {}) },
    display: "logentries+tls://localhost", routes: { defaultToken: A, rules: [] }, format: MESSAGE, log: silentLogger(),
    backoff: FAST, onRetry: (r) => reasons.push(r.reason),
  });
  try {
    const sent = sink.send(batchBody([serviceEntry("secret")]), 1);
    await waitFor("two refused handshakes", () => reasons.length >= 2);
    assert.match(reasons[0]!, /self.signed|certificate/i);
    sink.close();
    await assert.rejects(sent, (e: unknown) => (e as { code?: string }).code === "LH_ERR_SINK");
    assert.ok(!recv.all().includes(Buffer.from("secret")));
  } finally {
    sink.close();
    await recv.close();
    dir.dispose();
  }
});
