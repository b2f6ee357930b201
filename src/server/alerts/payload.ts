// How a notification is encoded for its receiver:
// - json (default): the document of DESIGN.md, application/json;
// - logentries: what Logentries' webhook alerts sent, form-encoded `payload=<JSON>` with alert, host,
//   log, event and context ({t: ms, s: sequence, m: message}), for receivers built for it.
// With a secret, X-Logharbor-Signature: sha256=<hex HMAC-SHA256 of the body> signs the exact bytes.
import { createHmac } from "node:crypto";
import type { Notification } from "./model.js";

export interface EncodedNotification {
  contentType: string;
  body: string;
}

export const SIGNATURE_HEADER = "x-logharbor-signature";

/** The page's search for what fired: its query, logs and time range. */
export function searchLink(baseUrl: string, n: Notification): string {
  const p = new URLSearchParams();
  if (n.alert.query) p.set("q", n.alert.query);
  p.set("from", String(Math.floor(n.fromMs)));
  p.set("to", String(Math.ceil(n.toMs)));
  const log = n.log || n.alert.logs.join(",");
  if (log) p.set("log", log);
  return `${baseUrl.replace(/\/+$/, "")}/?${p.toString()}`;
}

export function jsonDocument(n: Notification, baseUrl: string): Record<string, unknown> {
  return {
    alert: { name: n.alert.name, trigger: n.alert.trigger.kind },
    state: n.state,
    log: n.log || n.alert.logs.join(","),
    query: n.alert.query,
    count: n.count,
    window_s: n.windowS,
    group: n.group,
    events: n.events,
    link: searchLink(baseUrl, n),
    ...(n.value !== undefined ? { value: n.value } : {}),
    ...(n.test ? { test: true } : {}),
  };
}

export function encodeNotification(n: Notification, baseUrl: string): EncodedNotification {
  if (n.alert.payload === "logentries") {
    const first = n.events[0];
    const entry = (e: (typeof n.events)[number], i: number) => ({ t: Date.parse(e.ts), s: i, m: e.message });
    const host = first?.host ?? n.group["host"] ?? "";
    const doc = {
      alert: { name: n.alert.name },
      host: { name: host, hostname: host },
      log: { name: n.log || n.alert.logs.join(",") },
      event: first ? entry(first, 0) : { t: Math.floor(n.toMs), s: 0, m: `${n.alert.name}: ${n.state} (count ${n.count})` },
      context: n.events.map(entry),
    };
    return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams({ payload: JSON.stringify(doc) }).toString() };
  }
  return { contentType: "application/json", body: JSON.stringify(jsonDocument(n, baseUrl)) };
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
