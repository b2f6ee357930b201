// Host names as URLs write them and as sockets take them, and which of them are this machine.
import { isIP } from "node:net";

/** An IPv6 literal as a socket takes it: "[::1]" (a URL's hostname) → "::1"; other hosts unchanged. */
export function unbracketHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, "$1");
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost (bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h.startsWith("::ffff:")) return h.slice(7).startsWith("127.");
  return false;
}
