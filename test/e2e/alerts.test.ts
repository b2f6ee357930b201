// Alerts against a real server and a real HTTP receiver: match notifications over token TCP, the
// throttle's true counts, a threshold per host that fires and resolves, inactivity of a host that
// stops and comes back (and is not told again after a restart), a receiver that is down, the
// Logentries payload form and the signature.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { connect, type Socket } from "node:net";
import { startTestServer, call, jsonBody, type TestServer } from "../../src/server/testing.js";
import { startWebhookReceiver, type Received, type WebhookReceiver } from "../harness/webhook-receiver.js";
import { waitFor } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";

async function open(port: number): Promise<Socket> {
  const sock = connect(port, "127.0.0.1");
  await new Promise((r) => sock.once("connect", r));
  return sock;
}

async function createAlert(s: TestServer, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await call(`${s.url}/api/v1/alerts`, jsonBody(body));
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json["alert"] as Record<string, unknown>;
}

function syslogLine(host: string, message: string): string {
  return `<11>1 ${new Date().toISOString()} ${host} app - - - ${message}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function docs(rx: WebhookReceiver, state?: string): Array<Record<string, unknown>> {
  return rx.received.map((r) => r.doc).filter((d) => state === undefined || d["state"] === state);
}

test("a match alert notifies within seconds of a matching line over token TCP, signed, with samples and a link", async () => {
  const rx = await startWebhookReceiver();
  const s = await startTestServer({ ingest: { tcp: "127.0.0.1:0" } });
  try {
    const log = s.store.createLog("web");
    await createAlert(s, { name: "boom", query: "where(boom)", log: "web", webhook: rx.url, match: true, secret: "s3cret" });
    const sock = await open(s.listeners.tcp!.port);
    sock.write(`${log.token} all quiet\n${log.token} something went boom here\n`);
    await waitFor("a notification", () => rx.received.length >= 1, 5000);
    const r: Received = rx.received[0]!;
    assert.equal(r.headers["x-logharbor-signature"], `sha256=${createHmac("sha256", "s3cret").update(r.body).digest("hex")}`);
    const d = r.doc as { alert: { name: string; trigger: string }; state: string; count: number; log: string; events: Array<{ message: string; host: string }>; link: string };
    assert.deepEqual([d.alert, d.state, d.count, d.log], [{ name: "boom", trigger: "match" }, "firing", 1, "web"]);
    assert.deepEqual(d.events.map((e) => e.message), ["something went boom here"]);
    assert.ok(d.link.startsWith(`${s.url}/?q=where%28boom%29`), d.link);
    sock.end();
    const h = await call(`${s.url}/api/v1/alerts/boom/history`);
    const kinds = (h.json["history"] as Array<{ kind: string }>).map((x) => x.kind);
    assert.ok(kinds.includes("firing") && kinds.includes("delivered"), kinds.join(","));
  } finally {
    await s.stop();
    await rx.close();
  }
});

test("1,000 matching lines in 10 s make at most the throttled number of notifications, whose counts add up to 1,000", async () => {
  const rx = await startWebhookReceiver();
  const s = await startTestServer({ ingest: { tcp: "127.0.0.1:0" } });
  try {
    const log = s.store.createLog("web");
    await createAlert(s, { name: "errors", query: "where(error)", webhook: rx.url, match: true, throttle: "4s" });
    const sock = await open(s.listeners.tcp!.port);
    for (let sec = 0; sec < 10; sec++) {
      sock.write(Array.from({ length: 100 }, (_, i) => `${log.token} error ${sec}-${i}\n${log.token} fine ${sec}-${i}\n`).join(""));
      await sleep(1000);
    }
    await waitFor("every match told", () => docs(rx).reduce((n, d) => n + (d["count"] as number), 0) >= 1000, 20_000);
    const all = docs(rx);
    // One at the first match, then at most one per 4 s over the ~10 s, plus the last period's.
    assert.ok(all.length >= 2 && all.length <= 5, `${all.length} notifications`);
    assert.equal(all.reduce((n, d) => n + (d["count"] as number), 0), 1000);
    for (const d of all) {
      const ev = d["events"] as Array<{ message: string }>;
      assert.ok(ev.length >= 1 && ev.length <= 10);
      assert.ok(ev.every((e) => e.message.startsWith("error ")));
    }
    sock.end();
  } finally {
    await s.stop();
    await rx.close();
  }
});

test("a threshold per host fires only for the host above it and resolves when it drops", async () => {
  const rx = await startWebhookReceiver();
  const s = await startTestServer({ ingest: { syslogTcp: "127.0.0.1:0", syslogDefaultLog: "syslog" } });
  try {
    await createAlert(s, { name: "errors per host", query: "where(failed) groupby(host)", webhook: rx.url, threshold: 20, window: "10s" });
    const sock = await open(s.listeners.syslogTcp!.port);
    sock.write(Array.from({ length: 30 }, (_, i) => syslogLine("db-1", `query failed ${i}`)).join(""));
    sock.write(Array.from({ length: 10 }, (_, i) => syslogLine("web-1", `request failed ${i}`)).join(""));
    await waitFor("firing", () => docs(rx, "firing").length >= 1, 10_000);
    const fired = docs(rx, "firing");
    assert.equal(fired.length, 1);
    assert.deepEqual(fired[0]!["group"], { host: "db-1" });
    assert.equal(fired[0]!["count"], 30);
    const list = await call(`${s.url}/api/v1/alerts/errors%20per%20host`);
    assert.equal((list.json["alert"] as { status: string }).status, "firing");
    // The window slides past the burst: resolved once, for the same host.
    await waitFor("resolved", () => docs(rx, "resolved").length >= 1, 25_000);
    assert.deepEqual(docs(rx, "resolved").map((d) => d["group"]), [{ host: "db-1" }]);
    assert.equal(docs(rx, "firing").length, 1);
    sock.end();
  } finally {
    await s.stop();
    await rx.close();
  }
});

test("a host that stops shipping raises one inactivity notification naming it, a resolved one when it ships again, and a restart tells nothing twice", async () => {
  const rx = await startWebhookReceiver();
  const dir = tempDir();
  let s = await startTestServer({ dataDir: dir.path, ingest: { syslogTcp: "127.0.0.1:0", syslogDefaultLog: "syslog" } });
  let stopped = false;
  try {
    await createAlert(s, { name: "silent host", query: "", webhook: rx.url, inactivity: "3s", per: "host" });
    let sock = await open(s.listeners.syslogTcp!.port);
    const hosts = ["node-a", "node-b", "node-c"];
    const beat = setInterval(() => {
      for (const h of hosts) if (!(h === "node-c" && stopped)) sock.write(syslogLine(h, `heartbeat from ${h}`));
    }, 300);
    try {
      await sleep(1500);
      stopped = true; // node-c goes silent
      await waitFor("inactivity firing", () => docs(rx, "firing").length >= 1, 10_000);
      await sleep(2000);
      assert.deepEqual(docs(rx, "firing").map((d) => d["group"]), [{ host: "node-c" }]);
      // A restart: node-c is still silent and already told, so nothing new comes.
      clearInterval(beat);
      sock.end();
      await s.close();
      s = await startTestServer({ dataDir: dir.path, ingest: { syslogTcp: "127.0.0.1:0", syslogDefaultLog: "syslog" } });
      sock = await open(s.listeners.syslogTcp!.port);
      const beat2 = setInterval(() => {
        for (const h of hosts) if (!(h === "node-c" && stopped)) sock.write(syslogLine(h, `heartbeat from ${h}`));
      }, 300);
      try {
        await sleep(5000);
        assert.equal(docs(rx, "firing").length, 1, "no second firing after the restart");
        assert.equal(docs(rx, "resolved").length, 0);
        stopped = false; // node-c is back
        await waitFor("resolved", () => docs(rx, "resolved").length >= 1, 10_000);
        assert.deepEqual(docs(rx, "resolved").map((d) => d["group"]), [{ host: "node-c" }]);
      } finally {
        clearInterval(beat2);
      }
    } finally {
      clearInterval(beat);
      sock.end();
    }
  } finally {
    await s.close();
    await rx.close();
    dir.dispose();
  }
});

test("a receiver down for 30 s gets every notification once, late and in order; the failures show in the history", async () => {
  const rx = await startWebhookReceiver();
  const s = await startTestServer({ ingest: { tcp: "127.0.0.1:0" } });
  try {
    const log = s.store.createLog("web");
    await createAlert(s, { name: "panics", query: "where(panic)", webhook: rx.url, match: true, throttle: "2s" });
    await rx.down();
    const sock = await open(s.listeners.tcp!.port);
    for (let i = 0; i < 5; i++) {
      sock.write(`${log.token} panic number ${i}\n`);
      await sleep(2500);
    }
    const downFor = 30_000 - 5 * 2500;
    await sleep(downFor);
    const h = await call(`${s.url}/api/v1/alerts/panics`);
    assert.ok(((h.json["alert"] as { pending_deliveries: number }).pending_deliveries) >= 3);
    await rx.up();
    await waitFor("all delivered", () => docs(rx).reduce((n, d) => n + (d["count"] as number), 0) >= 5, 90_000);
    await sleep(1000);
    const counts = docs(rx).map((d) => d["count"] as number);
    assert.equal(counts.reduce((a, b) => a + b, 0), 5, `counts ${counts.join(",")}`);
    const messages = docs(rx).flatMap((d) => (d["events"] as Array<{ message: string }>).map((e) => e.message));
    assert.deepEqual(messages, [0, 1, 2, 3, 4].map((i) => `panic number ${i}`));
    const hist = await call(`${s.url}/api/v1/alerts/panics/history?limit=1000`);
    const kinds = (hist.json["history"] as Array<{ kind: string }>).map((x) => x.kind);
    assert.ok(kinds.filter((k) => k === "delivery_failed").length >= 3, kinds.join(","));
    assert.equal(kinds.filter((k) => k === "delivered").length, counts.length);
    sock.end();
  } finally {
    await s.stop();
    await rx.close();
  }
});

test("the Logentries payload is form-encoded payload= JSON with alert, host, log, event and context", async () => {
  const rx = await startWebhookReceiver();
  const s = await startTestServer({ ingest: { syslogTcp: "127.0.0.1:0", syslogDefaultLog: "syslog" } });
  try {
    await createAlert(s, { name: "500 error", query: "where(status=500)", log: "syslog", webhook: rx.url, match: true, payload: "logentries" });
    const sock = await open(s.listeners.syslogTcp!.port);
    sock.write(syslogLine("web.example.com", "POST /api status=500 took=12"));
    await waitFor("a notification", () => rx.received.length >= 1, 5000);
    const r = rx.received[0]!;
    assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded");
    const d = r.doc as { alert: { name: string }; host: { name: string; hostname: string }; log: { name: string }; event: { t: number; s: number; m: string }; context: unknown[] };
    assert.deepEqual(d.alert, { name: "500 error" });
    assert.deepEqual(d.host, { name: "web.example.com", hostname: "web.example.com" });
    assert.deepEqual(d.log, { name: "syslog" });
    assert.equal(d.event.m, "POST /api status=500 took=12");
    assert.ok(Math.abs(d.event.t - Date.now()) < 60_000);
    assert.equal(d.context.length, 1);
    sock.end();
  } finally {
    await s.stop();
    await rx.close();
  }
});

test("a calculated threshold fires on the average, and an alert whose query fails shows the error state instead of going quiet", async () => {
  const rx = await startWebhookReceiver();
  const s = await startTestServer({ ingest: { syslogTcp: "127.0.0.1:0", syslogDefaultLog: "syslog" } });
  try {
    await createAlert(s, { name: "slow", query: "where(api) calculate(average:took)", webhook: rx.url, threshold: 100, window: "20s" });
    await createAlert(s, { name: "broken", query: "where(api) calculate(average:user)", webhook: rx.url, threshold: 1, window: "20s" });
    const sock = await open(s.listeners.syslogTcp!.port);
    sock.write(["api took=50 user=ann", "api took=400 user=bob", "api took=300 user=cy"].map((m) => syslogLine("web-1", m)).join(""));
    await waitFor("slow firing", () => docs(rx, "firing").length >= 1, 20_000);
    const d = docs(rx, "firing")[0]!;
    assert.equal((d["alert"] as { name: string }).name, "slow");
    assert.equal(d["value"], 250);
    await waitFor("broken in error", () => {
      const a = s.store.alerts.get("broken")!;
      return s.store.alerts.state(a.id)?.status === "error";
    }, 20_000);
    const b = await call(`${s.url}/api/v1/alerts/broken`);
    const alert = b.json["alert"] as { status: string; error: string };
    assert.equal(alert.status, "error");
    assert.match(alert.error, /user/);
    sock.end();
  } finally {
    await s.stop();
    await rx.close();
  }
});

test("bad alert definitions get a 400 naming the problem and the accepted form; a read-only key may list but not create", async () => {
  const s = await startTestServer();
  try {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: "a", webhook: "http://x/" }, /exactly one of/],
      [{ name: "a", webhook: "http://x/", match: true, threshold: 3, window: "1m" }, /exactly one of.*match and threshold/],
      [{ name: "a", webhook: "ftp://x/", match: true }, /http or https/],
      [{ name: "a", match: true }, /webhook: required/],
      [{ name: "a", webhook: "http://x/", threshold: 3 }, /window: required/],
      [{ name: "a", webhook: "http://x/", threshold: -1, window: "1m" }, /threshold: expected a count/],
      [{ name: "a", webhook: "http://x/", inactivity: "soon" }, /inactivity: expected a duration/],
      [{ name: "a", webhook: "http://x/", inactivity: "1m", per: "pod" }, /per: expected host, unit or log/],
      [{ name: "a", webhook: "http://x/", match: true, query: "groupby(host)" }, /match alert takes a where\(\) query/],
      [{ name: "a", webhook: "http://x/", match: true, query: "where(" }, /query/],
      [{ name: "", webhook: "http://x/", match: true }, /name: expected 1 to 100/],
    ];
    for (const [body, re] of cases) {
      const r = await call(`${s.url}/api/v1/alerts`, jsonBody(body));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.json.error!.message, re, JSON.stringify(body));
    }
    const missing = await call(`${s.url}/api/v1/alerts`, jsonBody({ name: "a", webhook: "http://x/", match: true, log: "nope" }));
    assert.equal(missing.status, 404);
    await createAlert(s, { name: "dup", webhook: "http://127.0.0.1:9/hook/secret-path", match: true, secret: "k" });
    const dup = await call(`${s.url}/api/v1/alerts`, jsonBody({ name: "dup", webhook: "http://x/", match: true }));
    assert.equal(dup.status, 409);
    const keyRes = await call(`${s.url}/api/v1/keys`, jsonBody({ read_only: true }));
    const ro = (keyRes.json["key"] as { secret: string }).secret;
    const listed = await call(`${s.url}/api/v1/alerts`, { headers: { "x-api-key": ro } });
    assert.equal(listed.status, 200);
    const shown = (listed.json["alerts"] as Array<Record<string, unknown>>)[0]!;
    assert.equal(shown["webhook"], "http://127.0.0.1:9");
    assert.equal(shown["has_secret"], true);
    assert.ok(!JSON.stringify(listed.json).includes("secret-path") && !JSON.stringify(listed.json).includes('"k"'));
    const refused = await call(`${s.url}/api/v1/alerts`, jsonBody({ name: "b", webhook: "http://x/", match: true }, { "x-api-key": ro }));
    assert.equal(refused.status, 403);
  } finally {
    await s.stop();
  }
});
