// HTTP requests to systemd-journal-gatewayd, over a unix socket or TCP: GET /entries in the journal
// export format, positioned with the Range header ("entries=CURSOR:SKIP:COUNT").
import http from "node:http";
import https from "node:https";
import { LogharborError } from "../../../core/errors.js";
import type { SeekPosition } from "../source.js";
import { unbracketHost } from "../../../core/host.js";

export const EXPORT_MIME = "application/vnd.fdo.journal";

export type GatewaydAddress = { socketPath: string } | { url: URL };

export function describeAddress(a: GatewaydAddress): string {
  return "socketPath" in a ? `gatewayd:${a.socketPath}` : `gatewayd:${a.url.origin}`;
}

/** The Range header for a position: "at" includes the cursor's entry, "after" skips it. */
export function rangeFor(pos: SeekPosition): string | undefined {
  switch (pos.kind) {
    case "at":
      return `entries=${pos.cursor}:0:`;
    case "after":
      return `entries=${pos.cursor}:1:`;
    default:
      return undefined;
  }
}

/** Opens GET /entries; resolves with the response once its status is 200. */
export function getEntries(
  addr: GatewaydAddress,
  opts: { query?: string; range?: string; signal: AbortSignal },
): Promise<http.IncomingMessage> {
  const path = `/entries${opts.query ? `?${opts.query}` : ""}`;
  const headers: http.OutgoingHttpHeaders = { Accept: EXPORT_MIME };
  if (opts.range) headers["Range"] = opts.range;
  const base: http.RequestOptions = { method: "GET", path, headers, signal: opts.signal, agent: false };
  let req: http.ClientRequest;
  if ("socketPath" in addr) {
    req = http.request({ ...base, socketPath: addr.socketPath, host: "localhost" });
  } else {
    const mod = addr.url.protocol === "https:" ? https : http;
    req = mod.request({ ...base, hostname: unbracketHost(addr.url.hostname), port: addr.url.port || undefined });
  }
  return new Promise((resolve, reject) => {
    req.once("error", reject);
    req.once("response", (res) => {
      if (res.statusCode === 200) return resolve(res);
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        if (body.length < 2048) body += d;
      });
      res.once("error", reject);
      res.once("end", () =>
        reject(
          new LogharborError(
            "LH_ERR_SOURCE",
            `${describeAddress(addr)}: GET ${path}${opts.range ? ` (Range: ${opts.range})` : ""}: expected HTTP 200, got ${res.statusCode}: ${body.trim().slice(0, 300)}`,
          ),
        ),
      );
    });
    req.end();
  });
}
