// --http HOST:PORT values: "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0", ":8080" (all interfaces).
import { isIP } from "node:net";
import { LogharborError } from "../core/errors.js";

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListenAddress(value: string, label = "--http"): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new LogharborError("LH_ERR_USAGE", `${label}: expected HOST:PORT such as 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:0, got "${value}"`);
  }
  const host = m[1] ?? (m[2] === "" ? "0.0.0.0" : m[2]!);
  return { host, port };
}


/** The URL a client on this machine uses to reach a listener bound to host:port. */
export function urlFor(host: string, port: number): string {
  const h = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${isIP(h) === 6 ? `[${h}]` : h}:${port}`;
}
