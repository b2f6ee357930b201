// A UDP listener: each datagram goes to onMessage; errors are logged, never thrown.
import { createSocket, type RemoteInfo } from "node:dgram";
import { isIP } from "node:net";
import type { Logger } from "pino";
import type { ListenAddress } from "../../listen-address.js";
import type { ServerMetrics } from "../../metrics.js";
import type { RunningListener } from "./stream-listener.js";

export async function startUdpListener(opts: {
  protocol: string;
  address: ListenAddress;
  logger: Logger;
  /** Where the socket's kernel drops are exported (logharbor_ingest_udp_kernel_drops). */
  metrics?: Pick<ServerMetrics, "udpSockets">;
  onMessage(msg: Buffer, peer: RemoteInfo): void;
}): Promise<RunningListener> {
  const sock = createSocket({ type: isIP(opts.address.host) === 6 ? "udp6" : "udp4", recvBufferSize: 4 * 1024 * 1024 });
  sock.on("message", (msg, peer) => {
    try {
      opts.onMessage(msg, peer);
    } catch (err) {
      opts.logger.error({ err, protocol: opts.protocol }, "unexpected error on a datagram");
    }
  });
  await new Promise<void>((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(opts.address.port, opts.address.host, () => {
      sock.off("error", reject);
      resolve();
    });
  });
  sock.on("error", (err) => opts.logger.error({ err, protocol: opts.protocol }, "udp listener error"));
  const port = sock.address().port;
  opts.metrics?.udpSockets.set(port, opts.protocol);
  return {
    protocol: opts.protocol,
    host: opts.address.host,
    port,
    close: () => new Promise<void>((resolve) => sock.close(() => {
      opts.metrics?.udpSockets.delete(port);
      resolve();
    })),
  };
}
