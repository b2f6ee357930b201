// gatewayd's own serving rate, the ceiling of any agent that reads through it: GET /entries in the
// export format over its unix socket, the bytes counted and dropped, no HTTP or journal parsing.
// Prints {"bytes":N,"seconds":S} when the response ends (Connection: close).
//   node dist/bench/gatewayd-read.js SOCKET
import net from "node:net";
import { performance } from "node:perf_hooks";

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write("usage: node dist/bench/gatewayd-read.js SOCKET\n");
  process.exit(2);
}
const t0 = performance.now();
let bytes = 0;
const sock = net.connect(socketPath, () => {
  sock.write("GET /entries HTTP/1.1\r\nHost: localhost\r\nAccept: application/vnd.fdo.journal\r\nConnection: close\r\n\r\n");
});
sock.on("data", (d: Buffer) => (bytes += d.length));
sock.on("error", (e) => {
  process.stderr.write(`gatewayd-read: ${socketPath}: ${e.message}\n`);
  process.exit(1);
});
sock.on("close", () => process.stdout.write(`${JSON.stringify({ bytes, seconds: (performance.now() - t0) / 1000 })}\n`));
