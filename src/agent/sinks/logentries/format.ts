// What an entry looks like on a Logentries line:
//   message  MESSAGE alone (the default)
//   json     a JSON object of selected journal fields, named as `journalctl -o json` names them
//   short    "Mmm dd hh:mm:ss HOST IDENT[PID]: MESSAGE" as `journalctl -o short` (and gatewayd's
//            text/plain, which journal-2-logentries forwarded) writes it
// Values that are not valid UTF-8 are decoded with U+FFFD. Newlines become U+2028 on the wire.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import {
  FIELD_COMM, FIELD_CONTAINER_NAME, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PID, FIELD_PRIORITY,
  FIELD_REALTIME_TIMESTAMP, FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_SYSLOG_IDENTIFIER, FIELD_SYSTEMD_UNIT, isValidFieldName,
} from "../../../core/journal/fields.js";
import { rfc3164Timestamp } from "../../../core/wire/syslog.js";

export const LINE_FORMATS = ["message", "json", "short"] as const;
export type LineFormatKind = (typeof LINE_FORMATS)[number];

export interface LineFormat {
  kind: LineFormatKind;
  /** json: the fields, in this order. */
  fields: readonly string[];
}

export const DEFAULT_JSON_FIELDS: readonly string[] = [
  FIELD_MESSAGE, FIELD_PRIORITY, FIELD_HOSTNAME, FIELD_SYSTEMD_UNIT, FIELD_SYSLOG_IDENTIFIER, FIELD_PID, FIELD_CONTAINER_NAME, FIELD_REALTIME_TIMESTAMP,
];

/** Parses --logentries-format and --logentries-fields; a string is the problem. */
export function parseLineFormat(kind: string | undefined, fields: string | undefined): LineFormat | string {
  const k = kind ?? "message";
  if (!(LINE_FORMATS as readonly string[]).includes(k)) return `--logentries-format: expected one of ${LINE_FORMATS.join(", ")}, got ${JSON.stringify(k)}`;
  if (fields === undefined) return { kind: k as LineFormatKind, fields: DEFAULT_JSON_FIELDS };
  if (k !== "json") return `--logentries-fields: applies only to --logentries-format json, got --logentries-format ${k}`;
  const list = fields.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const badName = list.find((n) => !isValidFieldName(n));
  if (list.length === 0 || badName !== undefined) {
    return `--logentries-fields: expected journal field names separated by commas (e.g. MESSAGE,_SYSTEMD_UNIT), got ${JSON.stringify(badName ?? fields)}`;
  }
  return { kind: "json", fields: list };
}

/** JSON.stringify leaves U+2028/U+2029 raw; on a token line they would become newlines inside a string. */
function jsonLine(v: unknown): string {
  return JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"));
}

function allValues(entry: ExportEntry, name: string): string[] {
  const out: string[] = [];
  entry.forEachField((n, value) => {
    if (n === name) out.push(value.toString("utf8"));
  });
  return out;
}

function short(entry: ExportEntry): string {
  const ts = entry.get(FIELD_SOURCE_REALTIME_TIMESTAMP) ?? entry.get(FIELD_REALTIME_TIMESTAMP);
  const us = ts !== undefined && /^\d{1,17}$/.test(ts) ? Number(ts) : undefined;
  const ident = entry.get(FIELD_SYSLOG_IDENTIFIER) ?? entry.get(FIELD_COMM) ?? "unknown";
  const pid = entry.get(FIELD_PID);
  return `${rfc3164Timestamp(us)} ${entry.get(FIELD_HOSTNAME) ?? "localhost"} ${ident}${pid !== undefined ? `[${pid}]` : ""}: ${entry.get(FIELD_MESSAGE) ?? ""}`;
}

/** The message text of an entry in a format (still with its newlines). */
export function formatEntry(entry: ExportEntry, f: LineFormat): string {
  switch (f.kind) {
    case "message":
      return entry.get(FIELD_MESSAGE) ?? "";
    case "short":
      return short(entry);
    case "json": {
      const o: Record<string, string | string[]> = {};
      for (const name of f.fields) {
        const v = allValues(entry, name);
        if (v.length > 0) o[name] = v.length === 1 ? v[0]! : v;
      }
      return jsonLine(o);
    }
  }
}
