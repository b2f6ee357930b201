// Receivers that record exactly the bytes they get: a TCP or TLS server (per connection) and a UDP
// socket (per datagram), on 127.0.0.1:0. For checking a sink's wire format byte for byte.
import dgram from "node:dgram";
import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import type { Cert } from "./ingest.js";

export interface RawStreamReceiver {
  port: number;
  /** The bytes of each connection, in the order they were accepted. */
  connections: Buffer[];
  /** Everything received, all connections concatenated. */
  all(): Buffer;
  /** Closes every open connection (the listener stays up). */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startRawStreamReceiver(opts: { cert?: Cert } = {}): Promise<RawStreamReceiver> {
  const connections: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (s: net.Socket) => {
    const i = connections.push(Buffer.alloc(0)) - 1;
    sockets.add(s);
    s.on("data", (d: Buffer) => (connections[i] = Buffer.concat([connections[i]!, d])));
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  };
  const server = opts.cert
    ? tls.createServer({ cert: readFileSync(opts.cert.cert), key: readFileSync(opts.cert.key) }, onSocket)
    : net.createServer(onSocket);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    all: () => Buffer.concat(connections),
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export interface RawDatagramReceiver {
  port: number;
  datagrams: Buffer[];
  close(): Promise<void>;
}

export async function startRawDatagramReceiver(): Promise<RawDatagramReceiver> {
  const s = dgram.createSocket("udp4");
  const datagrams: Buffer[] = [];
  s.on("message", (m) => datagrams.push(m));
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  return { port: s.address().port, datagrams, close: () => new Promise((r) => s.close(() => r())) };
}
