// GELF against a real `logharbor serve --gelf-udp --gelf-tcp`, with the gelf-pro client from npm
// (UDP: zlib-compressed and chunked, large messages over many chunks; TCP: NUL-delimited), Docker's
// gelf-driver messages (gzip, routed by a token in _tag), and bad input: too many chunks, chunk sets
// over the size limit, incomplete sets, a decompression bomb, not JSON, an oversized TCP frame,
// unknown tokens: counted per reason, nothing stored or misfiled, the server still answering.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { startServeWithListeners, type ServeWithListeners } from "../harness/serve-listeners.js";
import { waitFor } from "../harness/processes.js";

interface GelfPro {
  setConfig(c: Record<string, unknown>): GelfPro;
  message(msg: string, level: number, extra: Record<string, unknown>, cb: (err: Error | null) => void): void;
}
const gelfPro = createRequire(import.meta.url)("gelf-pro") as GelfPro;

let s: ServeWithListeners;
let udpPort = 0;
let tcpPort = 0;

before(async () => {
  s = await startServeWithListeners(["--gelf-udp", "127.0.0.1:0", "--gelf-tcp", "127.0.0.1:0", "--gelf-default-log", "gelf"]);
  udpPort = await s.port("gelf-udp");
  tcpPort = await s.port("gelf-tcp");
});
after(async () => {
  await s?.stop();
});

function client(adapterName: "udp" | "tcp", port: number, fields: Record<string, unknown>): GelfPro {
  return (Object.create(gelfPro) as GelfPro).setConfig({ adapterName, adapterOptions: { host: "127.0.0.1", port, protocol: "udp4" }, fields });
}

function send(c: GelfPro, msg: string, level: number, extra: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => c.message(msg, level, extra, (err) => (err ? reject(err) : resolve())));
}

function body(i: number): string {
  return `payment ${i} failed ✗ für Ärger\n    at charge (billing.js:${i % 90})\n    at run (worker.js:7)`;
}

/**
 * Sends the messages `wave` at a time, waiting for each wave to be stored before the next: UDP
 * has no flow control, so the test never sends faster than the server stores (nothing may be lost).
 */
async function sendInWaves(c: GelfPro, log: string, n: number, make: (i: number) => [string, number, Record<string, unknown>], wave = 100): Promise<void> {
  const start = await s.count(log);
  for (let i = 0; i < n; i += wave) {
    const part = Array.from({ length: Math.min(wave, n - i) }, (_, k) => make(i + k));
    await Promise.all(part.map(([m, l, e]) => send(c, m, l, e)));
    await waitFor(`${i + part.length} messages stored in ${log}`, async () => (await s.count(log)) >= start + i + part.length || undefined, 30_000);
  }
}

test("gelf-pro over UDP (zlib, chunked): every message stored in its _token's log, with level, host, additional fields, multi-line UTF-8 bodies and large messages over many chunks", async () => {
  const token = await s.createLog("gelf-udp-a");
  const c = client("udp", udpPort, { token, component: "billing" });
  const N = 2000;
  await sendInWaves(c, "gelf-udp-a", N, (i) => [`payment ${i} failed`, i % 8, { full_message: body(i), host: `node-${i % 3}`, user_id: i, req: { method: "POST" } }]);
  const big = Array.from({ length: 6000 }, (_, i) => `line ${i} ${randomBytes(8).toString("hex")}`).join("\n");
  await sendInWaves(c, "gelf-udp-a", 3, (i) => [`big ${i}`, 6, { full_message: `big ${i}\n${big}` }], 3);
  assert.equal(await s.count("gelf-udp-a"), N + 3);
  assert.equal(await s.count("gelf"), 0, "nothing reached the default log");
  const e = (await s.events("gelf-udp-a", "where(user_id=1234)"))[0]!;
  assert.equal(e.message, body(1234), "full_message is the message");
  assert.equal(e.fields["short_message"], "payment 1234 failed");
  assert.equal(e.host, "node-1");
  assert.equal(e.priority, 1234 % 8);
  assert.equal(e.fields["component"], "billing");
  assert.equal(e.fields["req_method"], "POST");
  assert.ok(!JSON.stringify(e).includes(token), "the token is not stored");
  assert.equal((await s.events("gelf-udp-a", "where(priority<=3)")).length, N / 2);
  const bigs = await s.events("gelf-udp-a", '"big 2"');
  assert.equal(bigs.length, 1);
  assert.equal(bigs[0]!.message, `big 2\n${big}`, `a ${big.length}-byte message over ${Math.ceil(big.length / 2 / 1388)}+ chunks arrives whole`);
});

test("gelf-pro over TCP (NUL-delimited): messages routed by _token, without a token to the default log, an unknown token rejected and not defaulted", async () => {
  const token = await s.createLog("gelf-tcp-a");
  const c = client("tcp", tcpPort, { token });
  const N = 2000;
  for (let i = 0; i < N; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, k) => send(c, `tcp ${i + k}`, 3, { full_message: body(i + k), seq: i + k })));
  }
  await waitFor("every TCP message stored", async () => (await s.count("gelf-tcp-a")) >= N || undefined);
  const e = (await s.events("gelf-tcp-a", "where(seq=77)"))[0]!;
  assert.equal(e.message, body(77));
  assert.equal(e.priority, 3);
  await send(client("tcp", tcpPort, {}), "no token here", 6, {});
  await send(client("tcp", tcpPort, { token: "00000000-0000-4000-8000-000000000000" }), "unknown token", 6, {});
  await waitFor("the unknown token counted", async () => (await s.metric("logharbor_ingest_lines_total", { protocol: "gelf-tcp", reason: "token_unknown" })) >= 1 || undefined);
  await waitFor("the tokenless message in the default log", async () => (await s.count("gelf")) >= 1 || undefined);
  assert.deepEqual((await s.events("gelf")).map((x) => x.message), ["no token here"]);
  assert.equal(await s.count("gelf-tcp-a"), N);
});

function udp(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = createSocket("udp4");
    sock.send(bytes, udpPort, "127.0.0.1", (err) => {
      sock.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

function chunk(id: Buffer, seq: number, count: number, part: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x1e, 0x0f]), id, Buffer.from([seq, count]), part]);
}

test("Docker's gelf driver messages (gzip, uncompressed, chunked by hand): routed by a token in _tag, container fields as its journald driver names them", async () => {
  const token = await s.createLog("docker-gelf");
  const msg = (i: number) => JSON.stringify({
    version: "1.1", host: "docker-host", short_message: `container line ${i}`, timestamp: 1_700_000_000.25 + i, level: 6,
    _container_id: "9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f", _container_name: "api-1",
    _image_name: "shop/api:1.2", _command: "node server.js", _created: "2026-12-04T10:00:00Z", _tag: `${token}.api-1`,
  });
  await udp(gzipSync(msg(0)));
  await udp(Buffer.from(msg(1)));
  const z = gzipSync(msg(2));
  const id = randomBytes(8);
  const half = Math.ceil(z.length / 2);
  await udp(chunk(id, 1, 2, z.subarray(half)));
  await udp(chunk(id, 0, 2, z.subarray(0, half)));
  await waitFor("3 Docker messages", async () => (await s.count("docker-gelf")) >= 3 || undefined);
  const evs = await s.events("docker-gelf", "where(container=api-1)");
  assert.deepEqual(evs.map((e) => e.message), ["container line 0", "container line 1", "container line 2"]);
  assert.equal(evs[0]!.fields["CONTAINER_ID"], "9a8f7e6d5c4b");
  assert.equal(evs[0]!.fields["IMAGE_NAME"], "shop/api:1.2");
  assert.equal(evs[0]!.fields["tag"], "api-1", "the tag is stored without its token");
  assert.equal(evs[0]!.ts_us, 1_700_000_000_250_000);
  assert.equal(evs[0]!.host, "docker-host");
});

test("bad GELF input is refused and counted per reason, never stored, and the server keeps answering", async () => {
  const token = await s.createLog("gelf-bad");
  const storedBefore = await s.metric("logharbor_store_events");
  const good = (text: string) => Buffer.from(JSON.stringify({ version: "1.1", host: "h", short_message: text, _token: token }));
  // 129 chunks declared (GELF allows 128).
  await udp(chunk(randomBytes(8), 0, 129, good("too many")));
  // A chunk set larger than the 1 MiB message limit: 100 chunks of 12 KB.
  const id = randomBytes(8);
  for (let i = 0; i < 100; i++) await udp(chunk(id, i, 100, Buffer.alloc(12_000, 0x20)));
  // A set that never completes: dropped after 5 s.
  await udp(chunk(randomBytes(8), 0, 3, good("incomplete")));
  // A decompression bomb, not JSON, JSON without short_message, a JSON array.
  await udp(gzipSync(Buffer.concat([Buffer.from('{"short_message":"'), Buffer.alloc(50 * 1024 * 1024, 0x61), Buffer.from('"}')])));
  await udp(Buffer.from("not json at all"));
  await udp(Buffer.from(JSON.stringify({ host: "h", _token: token })));
  await udp(Buffer.from("[1,2,3]"));
  // A TCP frame over the limit, then a good frame on the same connection.
  await new Promise<void>((resolve) => {
    const sock = connect(tcpPort, "127.0.0.1", () => {
      sock.write(Buffer.alloc(2 * 1024 * 1024, 0x41));
      sock.end(Buffer.concat([Buffer.from([0]), good("after the big frame"), Buffer.from([0])]));
    });
    sock.on("close", () => resolve());
    sock.resume();
  });
  const reason = (protocol: string, r: string) => s.metric("logharbor_ingest_lines_total", { protocol, reason: r });
  await waitFor("the incomplete set dropped", async () => (await reason("gelf-udp", "incomplete_chunks")) >= 1 || undefined, 20_000);
  assert.equal(await reason("gelf-udp", "too_many_chunks"), 1);
  assert.equal(await reason("gelf-udp", "too_large"), 2, "the chunk set over the limit and the bomb");
  assert.equal(await reason("gelf-udp", "malformed"), 3);
  assert.equal(await reason("gelf-tcp", "too_large"), 1);
  await waitFor("the good TCP frame stored", async () => (await s.count("gelf-bad")) >= 1 || undefined);
  assert.deepEqual((await s.events("gelf-bad")).map((e) => e.message), ["after the big frame"]);
  assert.equal(await s.metric("logharbor_store_events"), storedBefore + 1, "nothing else was stored anywhere");
  // Still answering UDP.
  await udp(good("still here"));
  await waitFor("a good datagram after all that", async () => (await s.count("gelf-bad")) >= 2 || undefined);
});
