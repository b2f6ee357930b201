// Datagrams the kernel dropped for our UDP sockets (their receive buffer was full): the last column
// of /proc/net/udp and /proc/net/udp6, per socket since it opened. Found by local port (we bound it).
// Elsewhere than Linux there is no such file: nothing is counted.
import { readFileSync } from "node:fs";

/** Kernel drops per local port over every UDP socket bound to one of `ports`. */
export function udpKernelDrops(ports: ReadonlySet<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const file of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 13) continue;
      const port = parseInt(cols[1]!.slice(cols[1]!.lastIndexOf(":") + 1), 16);
      if (!ports.has(port)) continue;
      out.set(port, (out.get(port) ?? 0) + Number(cols[cols.length - 1]));
    }
  }
  return out;
}
