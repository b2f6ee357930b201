// Connection attacks on the token TCP and TLS listeners (issue 14, item 4): clients that connect and
// never handshake, one peer taking every slot, TLS clients that handshake and then go silent. The
// listener must free the slots and keep taking real senders.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { eventsOf, makeCert, metric, readPem, startIngestServer, waitFor } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";

function openRaw(port: number, localAddress = "127.0.0.1"): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: "127.0.0.1", localAddress });
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Resolves once the server closed the socket (or it failed); rejects after a generous deadline. */
function closedBy(s: Socket, deadlineMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.destroyed) return resolve();
    const t = setTimeout(() => reject(new Error(`the server did not close the connection within ${deadlineMs} ms`)), deadlineMs);
    s.once("close", () => {
      clearTimeout(t);
      resolve();
    });
    s.on("error", () => {});
    s.resume();
  });
}

test("TLS connects that never handshake are closed after the handshake timeout, and a real TLS client then gets in", async () => {
  const dir = tempDir();
  const cert = makeCert(dir.path);
  const s = await startIngestServer({
    tls: "127.0.0.1:0", tlsCert: cert.cert, tlsKey: cert.key, maxConnections: 20, idleTimeoutMs: 60_000, handshakeTimeoutMs: 300,
  });
  const raws: Socket[] = [];
  try {
    const log = s.store.createLog("app");
    const port = s.listeners.tls!.port;
    // Every slot taken by connections that never send a ClientHello.
    for (let i = 0; i < 20; i++) raws.push(await openRaw(port));
    await Promise.all(raws.map((r) => closedBy(r)));
    assert.ok((await metric(s, "logharbor_ingest_connections_total", { protocol: "token-tls", result: "tls_handshake_timeout" })) >= 20);
    const client = tlsConnect({ port, host: "127.0.0.1", ca: [readPem(cert.cert)], servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      client.once("secureConnect", () => resolve());
      client.once("error", reject);
    });
    client.write(`${log.token} after the lockout attempt\n`);
    await waitFor("the line stored", () => s.store.count(log.id) === 1);
    assert.equal(eventsOf(s, log.id)[0]!.message, "after the lockout attempt");
    client.end();
  } finally {
    for (const r of raws) r.destroy();
    await s.stop();
    dir.dispose();
  }
});

test("a TLS client that handshakes and then stays silent is closed by the idle timeout", async () => {
  const dir = tempDir();
  const cert = makeCert(dir.path);
  const s = await startIngestServer({ tls: "127.0.0.1:0", tlsCert: cert.cert, tlsKey: cert.key, idleTimeoutMs: 300 });
  try {
    const client = tlsConnect({ port: s.listeners.tls!.port, host: "127.0.0.1", ca: [readPem(cert.cert)], servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      client.once("secureConnect", () => resolve());
      client.once("error", reject);
    });
    await closedBy(client);
    assert.ok((await metric(s, "logharbor_ingest_connections_total", { protocol: "token-tls", result: "idle_timeout" })) >= 1);
  } finally {
    await s.stop();
    dir.dispose();
  }
});

for (const kind of ["tcp", "tls"] as const) {
  test(`token ${kind.toUpperCase()}: one peer holding its per-peer limit is refused more, while another peer still gets in`, async () => {
    const dir = tempDir();
    const cert = makeCert(dir.path);
    const s = await startIngestServer({
      ...(kind === "tcp" ? { tcp: "127.0.0.1:0" } : { tls: "127.0.0.1:0", tlsCert: cert.cert, tlsKey: cert.key }),
      maxConnectionsPerPeer: 5, idleTimeoutMs: 60_000, handshakeTimeoutMs: 60_000,
    });
    const held: Socket[] = [];
    try {
      const log = s.store.createLog("app");
      const port = s.listeners[kind]!.port;
      for (let i = 0; i < 5; i++) held.push(await openRaw(port, "127.0.0.1"));
      const extra = await openRaw(port, "127.0.0.1");
      await closedBy(extra, 5000);
      assert.equal(await metric(s, "logharbor_ingest_connections_total", { protocol: `token-${kind}`, result: "refused_per_peer" }), 1);
      // Another address of this host is another peer: it gets in and its line is stored.
      const other = kind === "tcp"
        ? await openRaw(port, "127.0.0.2")
        : await new Promise<Socket>((resolve, reject) => {
          const raw = connect({ port, host: "127.0.0.1", localAddress: "127.0.0.2" });
          const c = tlsConnect({ socket: raw, ca: [readPem(cert.cert)], servername: "localhost" });
          c.once("secureConnect", () => resolve(c));
          c.once("error", reject);
        });
      other.write(`${log.token} from another peer\n`);
      await waitFor("the other peer's line", () => s.store.count(log.id) === 1);
      other.end();
      // A held connection that closes frees its slot for the same peer.
      held.pop()!.destroy();
      let again: Socket | undefined;
      for (let i = 0; i < 100 && again === undefined; i++) {
        const c = await openRaw(port, "127.0.0.1");
        const refused = await closedBy(c, 200).then(() => true, () => false);
        if (refused) continue;
        again = c;
      }
      assert.ok(again, "the peer gets a connection again once one of its own closed");
      held.push(again);
    } finally {
      for (const h of held) h.destroy();
      await s.stop();
      dir.dispose();
    }
  });
}

test("datagrams the kernel drops on a UDP listener that cannot keep up are counted: stored + kernel drops = sent", async () => {
  const s = await startIngestServer({ udp: "127.0.0.1:0" });
  const sender = createSocket("udp4");
  try {
    const log = s.store.createLog("app");
    await new Promise<void>((r) => sender.bind(0, "127.0.0.1", () => r()));
    const port = s.listeners.udp!.port;
    const SENT = 4000;
    const pad = "x".repeat(900);
    // Sent in one go from this thread, which is also the server's: it reads nothing meanwhile, so
    // its socket's receive buffer overflows and the kernel drops the rest.
    for (let i = 0; i < SENT; i++) sender.send(`${log.token} datagram ${i} ${pad}\n`, port, "127.0.0.1");
    const drops = () => metric(s, "logharbor_ingest_udp_kernel_drops", { protocol: "token-udp" });
    let settled = 0;
    for (let i = 0; i < 200; i++) {
      const n = s.store.count(log.id) + (await drops());
      if (n === SENT) {
        settled = n;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok((await drops()) > 0, "the kernel dropped some datagrams");
    assert.equal(settled, SENT, `stored ${s.store.count(log.id)} + dropped ${await drops()} = sent ${SENT}`);
  } finally {
    sender.close();
    await s.stop();
  }
});
