// The Fluentd forward protocol against a real `logharbor serve --forward`, with the fluent-logger
// client from npm: PackedForward and Message modes with acknowledgements (an ack only once the
// records are committed), Docker's fluentd-driver records, the shared-key handshake (the shared key
// is the log's token; a wrong key is refused as the client understands it), and bad input
// (MessagePack bombs, a gzip bomb, garbage, unknown tokens): counted, nothing stored, still answering.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import type FluentLogger from "fluent-logger";
import { startServeWithListeners, type ServeWithListeners } from "../harness/serve-listeners.js";
import { waitFor } from "../harness/processes.js";

const fluent = createRequire(import.meta.url)("fluent-logger") as typeof FluentLogger;
type Sender = FluentLogger.FluentSender<Record<string, unknown>>;

let open: ServeWithListeners;
let port = 0;

before(async () => {
  open = await startServeWithListeners(["--forward", "127.0.0.1:0", "--forward-default-log", "docker"]);
  port = await open.port("forward");
});
after(async () => {
  await open?.stop();
});

function sender(tag: string, p: number, opts: FluentLogger.Options = {}): Sender {
  const s = fluent.createFluentSender<Record<string, unknown>>(tag, { host: "127.0.0.1", port: p, reconnectInterval: 200, ...opts });
  (s as unknown as NodeJS.EventEmitter).on("error", () => {});
  return s;
}

/** Closes the client's connection (end() without a last record). */
function close(s: Sender): void {
  (s as unknown as { end(label: null, data: null, cb: () => void): void }).end(null, null, () => {});
}

function emit(s: Sender, label: string, rec: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => s.emit(label, rec, (err?: Error) => (err ? reject(err) : resolve())));
}

function record(i: number): Record<string, unknown> {
  return {
    message: `order ${i} placed ✓ ünïcødé\n  at line two of ${i}\n  at line three`,
    status: 200 + (i % 5),
    user: { id: `u-${i % 17}`, roles: ["a", "b"] },
    level: i % 10 === 0 ? "error" : "info",
  };
}

test("fluent-logger in PackedForward mode with require_ack_response: every callback comes after its records are committed, all searchable in the tag token's log with their fields", async () => {
  const token = await open.createLog("fwd-packed");
  await open.createLog("fwd-other");
  const s = sender(`${token}.shop`, port, { eventMode: "PackedForward", requireAckResponse: true, flushInterval: 5 });
  const N = 3000;
  const big = "x".repeat(300_000);
  try {
    const sent: Array<Promise<void>> = [];
    for (let i = 0; i < N; i++) sent.push(emit(s, "orders", record(i)));
    sent.push(emit(s, "orders", { message: `big record ${big}`, size: big.length }));
    await Promise.all(sent);
    // Acknowledged means committed: everything is there at once, no waiting.
    assert.equal(await open.count("fwd-packed"), N + 1);
    assert.equal(await open.count("fwd-other"), 0);
    assert.equal(await open.count("docker"), 0, "a tag with a token never reaches the default log");
    const evs = await open.events("fwd-packed", "where(status=203)");
    assert.equal(evs.length, N / 5);
    const e = (await open.events("fwd-packed", '"order 1233 placed"'))[0]!;
    assert.equal(e.message, record(1233)["message"]);
    assert.equal(e.fields["FLUENT_TAG"], "shop.orders", "the token is cut from the stored tag");
    assert.deepEqual(e.fields["user"], { id: "u-9", roles: ["a", "b"] });
    assert.equal(e.fields["status"], 203);
    assert.equal(e.fields["_TRANSPORT"], "forward");
    assert.ok(!JSON.stringify(e).includes(token), "the token is not stored");
    const errors = await open.events("fwd-packed", "where(priority=3)");
    assert.equal(errors.length, N / 10, "level error -> priority 3");
    const bigEv = (await open.events("fwd-packed", "where(size>1000)"))[0]!;
    assert.equal(bigEv.message.length, "big record ".length + big.length);
  } finally {
    close(s);
  }
});

test("fluent-logger in Message mode with acks, and Docker's fluentd-driver records in Forward mode: container name, id and stream as fields, `log` as the message", async () => {
  const token = await open.createLog("fwd-message");
  const s = sender(token, port, { eventMode: "Message", requireAckResponse: true });
  try {
    for (let i = 0; i < 200; i++) await emit(s, "app", { log: `message mode ${i}`, n: i });
    assert.equal(await open.count("fwd-message"), 200);
  } finally {
    close(s);
  }
  // What Docker's fluentd log driver sends (fluent-logger-golang): [tag, [[time, record]...], {chunk}]
  // with sub-second EventTime; tag here without a token: the default log.
  const t = Math.floor(Date.now() / 1000);
  const et = (sec: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(sec, 0);
    b.writeUInt32BE(123_456_000, 4);
    return b;
  };
  const { ExtData } = await import("@msgpack/msgpack");
  const entries = Array.from({ length: 50 }, (_, i) => [new ExtData(0, et(t)), {
    container_id: "3f2c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
    container_name: "/web-1", source: i % 2 ? "stderr" : "stdout", log: `docker line ${i}`,
  }]);
  const sock = connect(port, "127.0.0.1");
  const ack = new Promise<unknown>((resolve) => sock.once("data", (d) => resolve(d)));
  sock.write(encode(["docker.3f2c1b0a9e8d", entries, { chunk: "c-1" }]));
  const got = await ack;
  sock.end();
  const { decode } = await import("@msgpack/msgpack");
  assert.deepEqual(decode(got as Buffer), { ack: "c-1" });
  const evs = await open.events("docker", "where(container=web-1)");
  assert.equal(evs.length, 50);
  assert.equal(evs[0]!.message, "docker line 0");
  assert.equal(evs[0]!.fields["CONTAINER_ID"], "3f2c1b0a9e8d");
  assert.equal(evs[0]!.fields["CONTAINER_ID_FULL"], "3f2c1b0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b");
  assert.equal(evs[1]!.fields["source"], "stderr");
  assert.equal(evs[0]!.ts_us, t * 1e6 + 123_456, "EventTime with its sub-second part is the event time");
});

test("CompressedPackedForward (gzip) is stored and acknowledged", async () => {
  const token = await open.createLog("fwd-gzip");
  const s = sender(`${token}.z`, port, { eventMode: "CompressedPackedForward", requireAckResponse: true, flushInterval: 5 });
  try {
    await Promise.all(Array.from({ length: 1000 }, (_, i) => emit(s, "gz", record(i))));
    assert.equal(await open.count("fwd-gzip"), 1000);
  } finally {
    close(s);
  }
});

/** Sends raw bytes; resolves when the server closes the connection (or after it answered). */
function raw(bytes: Buffer, p = port): Promise<"closed"> {
  return new Promise((resolve) => {
    const sock = connect(p, "127.0.0.1", () => sock.write(bytes));
    sock.on("error", () => {});
    sock.resume(); // read what the server answers, so its close is seen
    sock.on("close", () => resolve("closed"));
  });
}

test("MessagePack bombs, a gzip bomb, garbage and unknown tokens are refused and counted per reason, nothing stored anywhere, and the server keeps answering", async () => {
  const token = await open.createLog("fwd-bad");
  const before = await open.metric("logharbor_store_events");
  // An array declaring 2^32-1 items, a str32 declaring 4 GiB, 100,000 levels of nesting.
  await raw(Buffer.from([0x93, 0xa3, 0x61, 0x62, 0x63, 0xdd, 0xff, 0xff, 0xff, 0xff, 0x01]));
  await raw(Buffer.from([0x93, 0xa1, 0x74, 0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]));
  await raw(Buffer.alloc(100_000, 0x91));
  // A gzip bomb: 200 MB of zeros in about 200 KB.
  const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
  await raw(Buffer.from(encode([`${token}.bomb`, bomb, { compressed: "gzip", chunk: "b" }])));
  // Not MessagePack at all (0xc1 is never used), and a map where the message array belongs.
  await raw(Buffer.from([0xc1, 0x00]));
  await raw(Buffer.from(encode({ tag: "x" })));
  // An unknown token in the tag: rejected, never defaulted; asking for an ack closes the connection.
  await raw(Buffer.from(encode(["00000000-0000-4000-8000-000000000000.app", 1, { message: "lost" }, { chunk: "u" }])));
  await waitFor("the rejections counted", async () => (await open.metric("logharbor_ingest_lines_total", { protocol: "forward", result: "rejected", reason: "token_unknown" })) >= 1 || undefined);
  assert.equal(await open.metric("logharbor_ingest_lines_total", { protocol: "forward", reason: "too_large" }), 3);
  assert.equal(await open.metric("logharbor_ingest_lines_total", { protocol: "forward", reason: "too_deep" }), 1);
  assert.equal(await open.metric("logharbor_ingest_lines_total", { protocol: "forward", reason: "malformed" }), 2);
  assert.equal(await open.metric("logharbor_store_events"), before, "nothing was stored");
  // Still answering: a good client right after.
  const s = sender(token, port, { eventMode: "Message", requireAckResponse: true });
  try {
    await emit(s, "ok", { message: "still here" });
    assert.deepEqual((await open.events("fwd-bad")).map((e) => e.message), ["still here"]);
  } finally {
    close(s);
  }
});

test("--forward-auth: the shared-key handshake with the log's token as the key routes to that log; a wrong key is refused as an authentication failure and nothing is stored", async () => {
  const secure = await startServeWithListeners(["--forward", "127.0.0.1:0", "--forward-auth"]);
  try {
    const p = await secure.port("forward");
    const token = await secure.createLog("secured");
    const good = sender("app", p, { eventMode: "PackedForward", requireAckResponse: true, flushInterval: 5, security: { clientHostname: "client-a", sharedKey: token } });
    try {
      await Promise.all(Array.from({ length: 2000 }, (_, i) => emit(good, "web", record(i))));
      assert.equal(await secure.count("secured"), 2000);
      const e = (await secure.events("secured", '"order 7 placed"'))[0]!;
      assert.equal(e.host, "client-a", "the client's hostname from the handshake is the host");
      assert.equal(e.fields["FLUENT_TAG"], "app.web");
    } finally {
      close(good);
    }
    const bad = fluent.createFluentSender<Record<string, unknown>>("app", {
      host: "127.0.0.1", port: p, enableReconnect: false, requireAckResponse: true, eventMode: "Message",
      security: { clientHostname: "client-b", sharedKey: "00000000-0000-4000-8000-000000000000" },
    } as FluentLogger.Options);
    const failure = new Promise<Error>((resolve) => (bad as unknown as NodeJS.EventEmitter).on("error", resolve));
    bad.emit("web", { message: "must not be stored" });
    const err = await failure;
    assert.equal(err.name, "HandshakeError");
    assert.match(err.message, /Authentication failed: shared_key mismatch/);
    // A client that skips the handshake is refused too.
    await raw(Buffer.from(encode(["app", 1, { message: "no handshake" }])), p);
    await waitFor("the failures counted", async () => (await secure.metric("logharbor_ingest_connections_total", { protocol: "forward", result: "auth_failed" })) >= 2 || undefined);
    assert.equal(await secure.metric("logharbor_store_events"), 2000, "nothing of the refused clients was stored");
  } finally {
    await secure.stop();
  }
});
