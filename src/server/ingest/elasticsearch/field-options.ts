// Which document field is the message and which the time, and which to drop, as VictoriaLogs
// takes them: the query parameters `_msg_field`, `_time_field`, `ignore_fields` (comma-separated
// names, dotted for nested fields; the first present wins), or the headers `VL-Msg-Field`,
// `VL-Time-Field`, `VL-Ignore-Fields`. Defaults: what Filebeat, Fluent Bit, Vector and most
// loggers send.
import type { FastifyRequest } from "fastify";

export const DEFAULT_MSG_FIELDS = ["message", "msg", "_msg", "log", "event.original"];
export const DEFAULT_TIME_FIELDS = ["@timestamp", "_time", "timestamp", "time"];

export interface FieldOptions {
  msgFields: string[];
  timeFields: string[];
  ignoreFields: Set<string>;
}

function list(v: unknown): string[] | undefined {
  const s = Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : undefined;
  if (s === undefined) return undefined;
  const names = s.split(",").map((x) => x.trim()).filter((x) => x !== "");
  return names.length > 0 ? names : undefined;
}

export function fieldOptionsOf(req: FastifyRequest): FieldOptions {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const h = req.headers;
  return {
    msgFields: list(q["_msg_field"]) ?? list(h["vl-msg-field"]) ?? DEFAULT_MSG_FIELDS,
    timeFields: list(q["_time_field"]) ?? list(h["vl-time-field"]) ?? DEFAULT_TIME_FIELDS,
    ignoreFields: new Set(list(q["ignore_fields"]) ?? list(h["vl-ignore-fields"]) ?? []),
  };
}
