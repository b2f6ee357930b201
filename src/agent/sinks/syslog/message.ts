// A journal entry as a syslog message:
//   PRI        SYSLOG_FACILITY (else 0 for kernel entries, 1 "user" otherwise) and PRIORITY (else 6)
//   TIMESTAMP  _SOURCE_REALTIME_TIMESTAMP, else __REALTIME_TIMESTAMP
//   HOSTNAME   _HOSTNAME · APP-NAME SYSLOG_IDENTIFIER, else _COMM · PROCID SYSLOG_PID, else _PID
//   MSGID      MESSAGE_ID (the journal's message catalogue id)
//   SD         [journal@32473 NAME="value" ...]: every other field (MESSAGE excepted), in entry
//              order, repeated fields repeated; fields whose value is not valid UTF-8, or whose name
//              is longer than 32 characters, are left out. With a token: [logharbor@32473 token="..."].
//   MSG        MESSAGE's bytes as they are
// 32473 is the private enterprise number RFC 5612 reserves for examples and documentation.
import { isUtf8 } from "node:buffer";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import {
  FIELD_COMM, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PID, FIELD_PRIORITY, FIELD_REALTIME_TIMESTAMP,
  FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_SYSLOG_FACILITY, FIELD_SYSLOG_IDENTIFIER, FIELD_TRANSPORT,
} from "../../../core/journal/fields.js";
import { isSdName, type SdElement, type SyslogMessage } from "../../../core/wire/syslog.js";

export const JOURNAL_SD_ID = "journal@32473";
export const TOKEN_SD_ID = "logharbor@32473";
const EMPTY = Buffer.alloc(0);

function int(v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined || !/^\d{1,3}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

function timestampUs(e: ExportEntry): number | undefined {
  for (const name of [FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_REALTIME_TIMESTAMP]) {
    const v = e.get(name);
    if (v !== undefined && /^\d{1,17}$/.test(v)) return Number(v);
  }
  return undefined;
}

export interface SyslogMessageOptions {
  /** Adds [logharbor@32473 token="..."] so a logharbor server files the message in that log. */
  token?: string;
  /** Leave out the journal fields (RFC 3164 has no structured data anyway). */
  structuredData?: boolean;
}

export function syslogMessage(e: ExportEntry, o: SyslogMessageOptions = {}): SyslogMessage {
  const sd: SdElement[] = [];
  if (o.token !== undefined) sd.push({ id: TOKEN_SD_ID, params: [["token", o.token]] });
  if (o.structuredData !== false) {
    const params: Array<[string, string]> = [];
    e.forEachField((name, value) => {
      if (name === FIELD_MESSAGE || !isSdName(name) || !isUtf8(value)) return;
      params.push([name, value.toString("utf8")]);
    });
    if (params.length > 0) sd.push({ id: JOURNAL_SD_ID, params });
  }
  const facility = int(e.get(FIELD_SYSLOG_FACILITY), 0, 23) ?? (e.get(FIELD_TRANSPORT) === "kernel" ? 0 : 1);
  return {
    facility,
    severity: int(e.get(FIELD_PRIORITY), 0, 7) ?? 6,
    timestampUs: timestampUs(e),
    hostname: e.get(FIELD_HOSTNAME),
    appName: e.get(FIELD_SYSLOG_IDENTIFIER) ?? e.get(FIELD_COMM),
    procId: e.get("SYSLOG_PID") ?? e.get(FIELD_PID),
    msgId: e.get("MESSAGE_ID"),
    sd,
    msg: e.getBytes(FIELD_MESSAGE) ?? EMPTY,
  };
}
