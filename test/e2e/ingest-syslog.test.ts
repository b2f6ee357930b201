// util-linux logger against our syslog listeners: RFC 5424 over TCP with octet counting, RFC 3164
// over UDP; host, app, priority, facility and structured data arrive; the log is chosen by a
// token in structured data or at the start of the message, else the listener's default log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { eventsOf, metric, startIngestServer, waitFor, waitForAsync } from "../harness/ingest.js";

function logger(args: string[]): void {
  const r = spawnSync("logger", args, { encoding: "utf8" });
  assert.equal(r.status, 0, `logger ${args.join(" ")}: ${r.stderr}`);
}

test("logger --tcp --octet-count --rfc5424 arrives with host, app, priority, facility and structured data, routed by an SD token", async () => {
  const s = await startIngestServer({ syslogTcp: "127.0.0.1:0" });
  try {
    const a = s.store.createLog("a");
    const port = String(s.listeners.syslogTcp!.port);
    logger(["--tcp", "--octet-count", "--rfc5424", "-n", "127.0.0.1", "-P", port, "-t", "myapp", "-p", "local3.warning",
      "--sd-id", "logharbor@32473", "--sd-param", `token="${a.token}"`, "--sd-id", "exampleSDID@32473", "--sd-param", 'iut="3"', "--sd-param", 'eventSource="App"',
      "hello 5424"]);
    logger(["--tcp", "--octet-count", "--rfc5424", "-n", "127.0.0.1", "-P", port, "-t", "other", "-p", "user.err", `${a.token} token in the message`]);
    await waitFor("2 events", () => s.store.count(a.id) >= 2);
    const [first, second] = eventsOf(s, a.id);
    assert.equal(first!.message, "hello 5424");
    assert.equal(first!.host, hostname());
    assert.equal(first!.priority, 4);
    assert.equal(first!.fields["SYSLOG_IDENTIFIER"], "myapp");
    assert.equal(first!.fields["SYSLOG_FACILITY"], "19");
    assert.deepEqual(first!.fields["exampleSDID@32473"], { iut: "3", eventSource: "App" });
    assert.ok(!JSON.stringify(first!.fields).includes(a.token), "the token is not stored");
    assert.equal(second!.message, "token in the message");
    assert.equal(second!.priority, 3);
    assert.equal(second!.fields["SYSLOG_IDENTIFIER"], "other");
  } finally {
    await s.stop();
  }
});

test("logger --udp --rfc3164 arrives in the default log with host, app and priority; an unknown token is rejected, not defaulted", async () => {
  const s = await startIngestServer({ syslogUdp: "127.0.0.1:0", syslogTcp: "127.0.0.1:0", syslogDefaultLog: "syslog" });
  try {
    const log = s.store.logByName("syslog")!;
    const port = String(s.listeners.syslogUdp!.port);
    logger(["--udp", "--rfc3164", "-n", "127.0.0.1", "-P", port, "-t", "cron", "-p", "user.err", "hello 3164"]);
    logger(["--udp", "--rfc3164", "-n", "127.0.0.1", "-P", port, "-t", "cron", "00000000-0000-4000-8000-000000000000 unknown token"]);
    logger(["--tcp", "--rfc3164", "-n", "127.0.0.1", "-P", String(s.listeners.syslogTcp!.port), "-t", "sshd", "--id=42", "newline framed"]);
    await waitFor("2 events", () => s.store.count(log.id) >= 2);
    const evs = eventsOf(s, log.id);
    const udp = evs.find((e) => e.message === "hello 3164")!;
    assert.equal(udp.host, hostname());
    assert.equal(udp.priority, 3);
    assert.equal(udp.fields["SYSLOG_IDENTIFIER"], "cron");
    assert.equal(udp.fields["SYSLOG_FACILITY"], "1");
    const tcp = evs.find((e) => e.message === "newline framed")!;
    assert.equal(tcp.fields["SYSLOG_IDENTIFIER"], "sshd");
    assert.equal(tcp.fields["SYSLOG_PID"], "42");
    await waitForAsync("the unknown token counted", async () => (await metric(s, "logharbor_ingest_lines_total", { protocol: "syslog-udp", reason: "token_unknown" })) === 1);
    assert.equal(s.store.count(), 2);
  } finally {
    await s.stop();
  }
});
