// A routed syslog message → the event we store: HOSTNAME → host (else the peer address),
// APP-NAME/TAG → SYSLOG_IDENTIFIER, PRI → PRIORITY and SYSLOG_FACILITY, structured data → one
// field per SD-ID holding its parameters (a repeated parameter becomes an array).
import type { NewEvent } from "../../storage/store.js";
import { lineEvent } from "../common/line-event.js";
import type { SdElement, SyslogMessage } from "./parse.js";

function timeUs(ts: string | undefined): number | undefined {
  if (ts === undefined) return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return undefined;
  const frac = /\.(\d+)/.exec(ts)?.[1] ?? "";
  return ms * 1000 + Number((frac.slice(3, 6) + "000").slice(0, 3));
}

/** Adds one field per SD-ID, except where a field of that name is set already. */
function sdFields(sd: SdElement[], into: Record<string, unknown>): void {
  const taken = new Set(["MESSAGE", "_TRANSPORT", "_HOSTNAME", "__proto__", ...Object.keys(into)]);
  for (const el of sd) {
    if (taken.has(el.id)) continue;
    taken.add(el.id);
    const obj: Record<string, string | string[]> = {};
    for (const [k, v] of el.params) {
      if (k === "__proto__") continue;
      const prev = obj[k];
      obj[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    into[el.id] = obj;
  }
}

export function syslogEvent(
  m: SyslogMessage, routed: { sd: SdElement[]; msg: string }, peer: string | null, transport: string, truncated: boolean,
): NewEvent {
  const fields: Record<string, unknown> = {
    PRIORITY: String(m.severity),
    SYSLOG_FACILITY: String(m.facility),
  };
  if (m.appName !== undefined) fields["SYSLOG_IDENTIFIER"] = m.appName;
  if (m.procId !== undefined) fields["SYSLOG_PID"] = m.procId;
  if (m.msgId !== undefined) fields["SYSLOG_MSGID"] = m.msgId;
  if (m.timestamp !== undefined) fields["SYSLOG_TIMESTAMP"] = m.timestamp;
  fields["SYSLOG_FORMAT"] = m.format;
  sdFields(routed.sd, fields);
  const tsUs = m.format === "rfc5424" ? timeUs(m.timestamp) : undefined;
  return lineEvent({
    message: routed.msg, host: m.hostname ?? peer, transport, truncated, priority: m.severity, fields,
    ...(tsUs !== undefined ? { tsUs } : {}),
  });
}
