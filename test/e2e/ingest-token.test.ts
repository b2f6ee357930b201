// The official Logentries Node clients (le_node, r7insight_node) against our token TCP and TLS
// listeners: every message lands in its token's log, multi-line messages intact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { makeCert, eventsOf, metric, runLogentriesClient, startIngestServer, waitFor } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";

const MULTI = "Error: boom\n    at handler (app.js:10:5)\n    at main (app.js:20:1)";

for (const pkg of ["le_node", "r7insight_node"] as const) {
  for (const secure of [false, true]) {
    test(`${pkg} over ${secure ? "TLS" : "TCP"}: every message arrives in its token's log, multi-line intact`, async () => {
      const dir = tempDir();
      const cert = makeCert(dir.path);
      const s = await startIngestServer({ tcp: "127.0.0.1:0", tls: "127.0.0.1:0", tlsCert: cert.cert, tlsKey: cert.key });
      const client = { stop: () => {} };
      try {
        const a = s.store.createLog("a");
        const b = s.store.createLog("b");
        const messages = [
          ...Array.from({ length: 50 }, (_, i) => ({ token: a.token, text: `a message ${i}` })),
          { token: a.token, text: MULTI },
          ...Array.from({ length: 20 }, (_, i) => ({ token: b.token, text: `b message ${i} ünïcødé` })),
        ];
        const port = (secure ? s.listeners.tls : s.listeners.tcp)!.port;
        const run = runLogentriesClient(pkg, { port, secure, messages, ...(secure ? { caFile: cert.cert } : {}) });
        client.stop = run.stop;
        await run.sent;
        await waitFor("71 events", () => s.store.count() >= 71);
        const inA = eventsOf(s, a.id).map((e) => e.message);
        const inB = eventsOf(s, b.id).map((e) => e.message);
        assert.deepEqual([...inA].sort(), messages.filter((m) => m.token === a.token).map((m) => m.text).sort());
        assert.deepEqual([...inB].sort(), messages.filter((m) => m.token === b.token).map((m) => m.text).sort());
        const ev = eventsOf(s, a.id).find((e) => e.message === MULTI)!;
        assert.equal(ev.host, "127.0.0.1");
        assert.equal(ev.fields["_TRANSPORT"], secure ? "token-tls" : "token-tcp");
      } finally {
        client.stop();
        await s.stop();
        dir.dispose();
      }
    });
  }
}

test("several tokens on one connection each reach their own log; unknown and missing tokens are counted and dropped, the connection stays open", async () => {
  const s = await startIngestServer({ tcp: "127.0.0.1:0" });
  try {
    const a = s.store.createLog("a");
    const b = s.store.createLog("b");
    const sock = connect(s.listeners.tcp!.port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    sock.write(`${a.token} one\n${b.token} two\r\n00000000-0000-4000-8000-000000000000 bad token\nno token at all\n`);
    sock.write(`${a.token} same\n${a.token} same\n${a.token.toUpperCase()} three\u2028four\n`);
    await waitFor("5 events", () => s.store.count() >= 5);
    sock.write(`${b.token} after the bad ones\n`);
    await waitFor("6 events", () => s.store.count() >= 6);
    sock.end();
    assert.deepEqual(eventsOf(s, a.id).map((e) => e.message), ["one", "same", "same", "three\nfour"]);
    assert.deepEqual(eventsOf(s, b.id).map((e) => e.message), ["two", "after the bad ones"]);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "rejected", reason: "token_unknown" }), 1);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "rejected", reason: "token_missing" }), 1);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "accepted", reason: "ok" }), 6);
    assert.ok(!s.logs().includes(a.token), "the token never reaches our own logs");
  } finally {
    await s.stop();
  }
});

test("with token_anywhere, a known token anywhere in the line routes it and is cut from the message", async () => {
  const s = await startIngestServer({ tcp: "127.0.0.1:0", tokenAnywhere: true });
  try {
    const a = s.store.createLog("a");
    const sock = connect(s.listeners.tcp!.port, "127.0.0.1");
    const closed = new Promise((r) => sock.once("close", r));
    const other = "11111111-2222-4333-8444-555555555555";
    sock.end(`<14>host app: request ${other} ${a.token} done\n${a.token} at start\nno ${other} known token\n`);
    await waitFor("2 events", () => s.store.count() >= 2);
    await closed;
    assert.deepEqual(eventsOf(s, a.id).map((e) => e.message), [`<14>host app: request ${other} done`, "at start"]);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "rejected", reason: "token_unknown" }), 1);
  } finally {
    await s.stop();
  }
});

test("token UDP: each line of a datagram reaches its token's log", async () => {
  const { createSocket } = await import("node:dgram");
  const s = await startIngestServer({ udp: "127.0.0.1:0" });
  try {
    const a = s.store.createLog("a");
    const u = createSocket("udp4");
    await new Promise<void>((r) => u.send(`${a.token} over udp\n${a.token} second\u2028line\n`, s.listeners.udp!.port, "127.0.0.1", () => r()));
    u.close();
    await waitFor("2 events", () => s.store.count() >= 2);
    assert.deepEqual(eventsOf(s, a.id).map((e) => e.message), ["over udp", "second\nline"]);
  } finally {
    await s.stop();
  }
});
