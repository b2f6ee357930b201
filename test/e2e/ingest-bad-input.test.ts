// Bad input over every protocol: random bytes, a 10 MiB line, invalid UTF-8, a client that
// connects and never sends, 1,000 connections at once. The server stays up, memory stays bounded,
// and nothing from a bad token is stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { TestServer } from "../../src/server/testing.js";
import { FIELD_TRUNCATED } from "../../src/server/ingest/common/line-event.js";
import { eventsOf, makeCert, metric, startIngestServer, waitFor, waitForAsync } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";

const MiB = 1024 * 1024;
const BAD = "00000000-0000-4000-8000-000000000000";

async function open(port: number): Promise<Socket> {
  const s = connect(port, "127.0.0.1");
  s.on("error", () => {});
  await new Promise((r) => s.once("connect", r));
  return s;
}

/** Writes everything, ends, and waits for the server to close the connection. */
async function sendAll(port: number, ...chunks: Buffer[]): Promise<void> {
  const s = await open(port);
  const closed = new Promise((r) => s.once("close", r));
  for (const c of chunks) s.write(c);
  s.end();
  await closed;
}

/**
 * Sends one good line and waits until it is stored. Lines are committed in the order they were
 * read, so everything sent before it is then stored too (a closed connection does not mean that:
 * the token protocol has no acknowledgement).
 */
async function stillServes(s: TestServer, port: number, token: string, text: string): Promise<void> {
  await sendAll(port, Buffer.from(`${token} ${text}\n`));
  const all = () => s.store.search({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 100_000, order: "desc" }).events;
  await waitFor(`"${text}" stored`, () => all().some((e) => e.message === text));
}

test("token TCP survives random bytes, a 10 MiB line, invalid UTF-8 and bad tokens, storing only what has a good token", async () => {
  const s = await startIngestServer({ tcp: "127.0.0.1:0" });
  try {
    const a = s.store.createLog("a");
    const port = s.listeners.tcp!.port;
    const rss0 = process.memoryUsage().rss;
    await sendAll(port, randomBytes(256 * 1024), Buffer.from("\n"));
    await sendAll(port, Buffer.from(`${a.token} `), Buffer.alloc(10 * MiB, "x"), Buffer.from(`\n${BAD} ${"y".repeat(1000)}\n`));
    await sendAll(port, Buffer.concat([Buffer.from(`${a.token} bad utf8: `), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(" end\n")]));
    await stillServes(s, port, a.token, "still here");
    const evs = eventsOf(s, a.id);
    const long = evs.find((e) => e.message.startsWith("xxx"))!;
    assert.ok(long.message.length <= MiB && long.message.length > MiB - 100, `truncated to the limit, got ${long.message.length}`);
    assert.equal(long.fields[FIELD_TRUNCATED], "1");
    assert.ok(evs.some((e) => e.message === "bad utf8: \uFFFD\uFFFD\uFFFD end"));
    assert.equal(s.store.count(), 3, "only the three lines with a good token were stored");
    assert.ok(process.memoryUsage().rss - rss0 < 200 * MiB, "memory stays bounded");
    assert.ok((await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "rejected" })) >= 2);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "truncated" }), 1);
  } finally {
    await s.stop();
  }
});

test("a client that connects and never sends is closed after the idle timeout", async () => {
  const s = await startIngestServer({ tcp: "127.0.0.1:0", syslogTcp: "127.0.0.1:0", idleTimeoutMs: 200 });
  try {
    for (const port of [s.listeners.tcp!.port, s.listeners.syslogTcp!.port]) {
      const c = await open(port);
      await new Promise((r) => c.once("close", r));
    }
    assert.equal(await metric(s, "logharbor_ingest_connections_total", { result: "idle_timeout" }), 2);
  } finally {
    await s.stop();
  }
});

test("1,000 connections at once: the excess is refused, the server stays up and keeps serving", async () => {
  const s = await startIngestServer({ tcp: "127.0.0.1:0", maxConnections: 200, maxConnectionsPerPeer: 1000 });
  try {
    const a = s.store.createLog("a");
    const port = s.listeners.tcp!.port;
    const socks = await Promise.all(Array.from({ length: 1000 }, () => open(port).catch(() => undefined)));
    await waitForAsync("connections counted", async () =>
      (await metric(s, "logharbor_ingest_connections_total", { protocol: "token-tcp", result: "refused" })) +
      (await metric(s, "logharbor_ingest_connections_total", { protocol: "token-tcp", result: "accepted" })) >= 1000);
    assert.ok((await metric(s, "logharbor_ingest_connections_total", { protocol: "token-tcp", result: "refused" })) >= 800);
    for (const c of socks) c?.destroy();
    await waitForAsync("the server to see them go", async () => (await metric(s, "logharbor_ingest_open_connections", { protocol: "token-tcp" })) === 0);
    await stillServes(s, port, a.token, "after the storm");
    assert.ok(eventsOf(s, a.id).some((e) => e.message === "after the storm"));
  } finally {
    await s.stop();
  }
});

test("token TLS survives random bytes and a plain-text client", async () => {
  const dir = tempDir();
  const cert = makeCert(dir.path);
  const s = await startIngestServer({ tls: "127.0.0.1:0", tlsCert: cert.cert, tlsKey: cert.key });
  try {
    const a = s.store.createLog("a");
    const port = s.listeners.tls!.port;
    await sendAll(port, randomBytes(64 * 1024));
    await sendAll(port, Buffer.from(`${a.token} plain text on a TLS port\n`));
    const c = tlsConnect({ port, host: "127.0.0.1", ca: readFileSync(cert.cert), servername: "localhost" });
    await new Promise((r) => c.once("secureConnect", r));
    const closed = new Promise((r) => c.once("close", r));
    c.end(`${a.token} over tls\n`);
    await closed;
    await waitFor("the TLS line", () => s.store.count() === 1);
    assert.deepEqual(eventsOf(s, a.id).map((e) => e.message), ["over tls"]);
    assert.ok((await metric(s, "logharbor_ingest_connections_total", { protocol: "token-tls", result: "tls_error" })) >= 1);
  } finally {
    await s.stop();
    dir.dispose();
  }
});

test("syslog TCP and UDP count malformed input, truncate a 10 MiB message, and store only what has a log", async () => {
  const s = await startIngestServer({ syslogTcp: "127.0.0.1:0", syslogUdp: "127.0.0.1:0" });
  try {
    const a = s.store.createLog("a");
    const port = s.listeners.syslogTcp!.port;
    const big = Buffer.concat([Buffer.from(`<13>1 - h app - - [x@1 token="${a.token}"] `), Buffer.alloc(10 * MiB, "z")]);
    await sendAll(port,
      randomBytes(64 * 1024), Buffer.from("\n"),
      Buffer.from(`${big.length} `), big,
      Buffer.from(`<13>1 - h app - - - ${BAD} bad token\n`),
      Buffer.from("<13>1 - h app - - [unterminated\n"),
      Buffer.concat([Buffer.from(`<13>1 - h app - - - ${a.token} utf8 `), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]),
      Buffer.from(`<13>Jan  1 00:00:00 h app: no token and no default log\n`),
    );
    const u = createSocket("udp4");
    await new Promise<void>((r) => u.send(randomBytes(1200), s.listeners.syslogUdp!.port, "127.0.0.1", () => r()));
    await new Promise<void>((r) => u.send(`<13>1 - h app - - - ${a.token} over udp`, s.listeners.syslogUdp!.port, "127.0.0.1", () => r()));
    u.close();
    await waitFor("2 good messages", () => s.store.count() >= 3);
    const evs = eventsOf(s, a.id);
    assert.equal(s.store.count(), 3);
    const long = evs.find((e) => e.message.startsWith("zzz"))!;
    assert.equal(long.fields[FIELD_TRUNCATED], "1");
    assert.ok(long.message.length < MiB);
    assert.ok(evs.some((e) => e.message === "utf8 \uFFFD("));
    assert.ok(evs.some((e) => e.message === "over udp"));
    assert.ok((await metric(s, "logharbor_ingest_lines_total", { protocol: "syslog-tcp", reason: "malformed" })) >= 2);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "syslog-tcp", reason: "token_unknown" }), 1);
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "syslog-tcp", reason: "token_missing" }), 1);
  } finally {
    await s.stop();
  }
});

test("HTTP ingest refuses random bytes as a journal upload and a 10 MiB webhook body, and stores nothing", async () => {
  const s = await startIngestServer({});
  try {
    const a = s.store.createLog("a");
    const up = await fetch(`${s.url}/t/${a.token}/upload`, { method: "POST", headers: { "content-type": "application/vnd.fdo.journal" }, body: Buffer.concat([Buffer.from("=\n"), randomBytes(4096)]) });
    assert.equal(up.status, 400);
    const big = await fetch(`${s.url}/noformat/logs/${a.token}`, { method: "POST", body: Buffer.alloc(10 * MiB, "q") });
    assert.equal(big.status, 413);
    const bad = await fetch(`${s.url}/noformat/logs/${BAD}`, { method: "POST", body: randomBytes(100) });
    assert.equal(bad.status, 403);
    assert.equal(s.store.count(), 0);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
  } finally {
    await s.stop();
  }
});
