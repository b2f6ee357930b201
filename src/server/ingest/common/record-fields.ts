// The fields of a structured record (a forward-protocol map, a GELF message's additional fields) as
// the store keeps them: values that are strings, numbers, booleans or null stay as they are; bytes
// become text when they are UTF-8, else {"base64": ...}; maps and arrays are kept as JSON down to
// MAX_DEPTH levels (deeper parts become their JSON text cut at MAX_NESTED_CHARS); times become ISO text.
// Docker's names become the names its journald log driver writes (CONTAINER_NAME, CONTAINER_ID,
// CONTAINER_ID_FULL, IMAGE_NAME, CONTAINER_TAG), so `container=web` finds a container's lines
// whichever driver sent them. Names the server sets itself are never taken from a record.
import { isUtf8 } from "node:buffer";

export const MAX_DEPTH = 8;
const MAX_NESTED_CHARS = 4096;
const MAX_NAME_CHARS = 128;
/** Set by the server, or the message column: never copied from a record. */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set(["MESSAGE", "_TRANSPORT", "_HOSTNAME", "_LOGHARBOR_TRUNCATED", "__proto__"]);

/** A record's value as a field value. */
export function fieldValue(v: unknown, depth = 0): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) {
    const b = Buffer.from(v.buffer, v.byteOffset, v.length);
    return isUtf8(b) ? b.toString("utf8") : { base64: b.toString("base64") };
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === "object" && "us" in v && typeof (v as { us: unknown }).us === "number") {
    return new Date((v as { us: number }).us / 1000).toISOString();
  }
  if (depth >= MAX_DEPTH) return safeText(v);
  if (Array.isArray(v)) return v.map((x) => fieldValue(x, depth + 1));
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === "__proto__") continue;
      out[k.slice(0, MAX_NAME_CHARS)] = fieldValue(x, depth + 1);
    }
    return out;
  }
  return String(v);
}

function safeText(v: unknown): string {
  // Only reached below MAX_DEPTH levels of a value whose nesting the framer already bounded.
  let s: string;
  try {
    s = JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `<${x.length} bytes>` : typeof x === "bigint" ? x.toString() : x)) ?? "";
  } catch {
    s = "[unreadable]";
  }
  return s.length > MAX_NESTED_CHARS ? s.slice(0, MAX_NESTED_CHARS) : s;
}

/** Puts one record field into `into` under its stored name (Docker's names mapped; reserved names skipped). */
export function putField(into: Record<string, unknown>, name: string, v: unknown): void {
  if (name.length > MAX_NAME_CHARS || RESERVED_FIELDS.has(name)) return;
  switch (name) {
    case "container_name": {
      const s = fieldValue(v);
      into["CONTAINER_NAME"] = typeof s === "string" && s.startsWith("/") ? s.slice(1) : s;
      return;
    }
    case "container_id": {
      const s = fieldValue(v);
      into["CONTAINER_ID_FULL"] = s;
      into["CONTAINER_ID"] = typeof s === "string" ? s.slice(0, 12) : s;
      return;
    }
    case "image_name":
      into["IMAGE_NAME"] = fieldValue(v);
      return;
    case "image_id":
      into["IMAGE_ID"] = fieldValue(v);
      return;
    default:
      into[name] = fieldValue(v);
  }
}

const LEVELS: Readonly<Record<string, number>> = {
  emerg: 0, emergency: 0, panic: 0, alert: 1, crit: 2, critical: 2, fatal: 2, err: 3, error: 3, eror: 3,
  warn: 4, warning: 4, notice: 5, info: 6, information: 6, informational: 6, debug: 7, trace: 7, dbug: 7,
};

/** A level as a syslog priority 0..7: a number 0..7 or a common level name; else undefined. */
export function priorityOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v <= 7 ? v : undefined;
  if (typeof v === "string") {
    if (/^[0-7]$/.test(v)) return Number(v);
    return LEVELS[v.toLowerCase()];
  }
  return undefined;
}
