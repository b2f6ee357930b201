// Structured fields parsed from a message at ingest, as Logentries does:
// - a message that is a JSON object ("{...}") gives every leaf as a field: nested keys joined by
//   dots (`req.method`), array elements by index (`items.0.id`); the last duplicate key wins.
// - a plain message gives its key=value pairs (`status=503 user="a b"`); the last one wins.
// - access-log lines (NCSA common/combined), klog lines and a leading level (`[error]`, `WARN:`) give
//   their fields too (message-formats.ts), beside the key=value pairs that follow them.
// Values keep their JSON type (numbers stay numbers, booleans become "true"/"false", null is
// dropped); key=value values that read as plain decimal numbers become numbers. The result is a
// flat object, stored beside the journal fields (never mixed with them), or undefined when the
// message has nothing to parse. Cheap for the common case: only messages that start with "{", contain
// "=" or start like one of those line formats are looked at.

import { parseLineFormat } from "./message-formats.js";

/** Messages longer than this are not parsed (the full text stays searchable). */
export const MAX_PARSED_MESSAGE_CHARS = 64 * 1024;
/** At most this many fields per message; the rest are dropped. */
export const MAX_PARSED_FIELDS = 256;
const MAX_DEPTH = 16;

export type ParsedFields = Record<string, string | number>;

export function parseMessageFields(message: string): ParsedFields | undefined {
  if (message.length > MAX_PARSED_MESSAGE_CHARS) return undefined;
  const c = message.charCodeAt(0);
  if (c === 123 /* { */ || ((c === 32 || c === 9) && message.trimStart().startsWith("{"))) {
    const json = parseJsonObject(message);
    if (json !== undefined) return json;
  }
  const line = parseLineFormat(message);
  if (line === undefined) return message.indexOf("=") >= 0 ? parseKeyValues(message) : undefined;
  // key=value pairs after the line's own fields; a format's own fields win over a pair of the same name.
  const kv = message.indexOf("=", line.rest) >= 0 ? parseKeyValues(message.slice(line.rest)) : undefined;
  if (kv === undefined) return line.fields;
  for (const k of Object.keys(line.fields)) kv[k] = line.fields[k]!;
  return kv;
}

/** JSON and key=value only, without the line formats: what ingest parsed before them (bench/message-fields.ts compares). */
export function parseJsonOrKeyValues(message: string): ParsedFields | undefined {
  if (message.length > MAX_PARSED_MESSAGE_CHARS) return undefined;
  const c = message.charCodeAt(0);
  if (c === 123 /* { */ || ((c === 32 || c === 9) && message.trimStart().startsWith("{"))) {
    const json = parseJsonObject(message);
    if (json !== undefined) return json;
  }
  return message.indexOf("=") >= 0 ? parseKeyValues(message) : undefined;
}

/**
 * The structured fields stored with an event: those parsed from its message, then the protocol's
 * own (NewEvent.attributes: OTLP attributes, Loki labels, Elasticsearch document fields), which win
 * on a name both have; at most MAX_PARSED_FIELDS. One rule for every store.
 */
export function eventParsedFields(message: string, attributes: Readonly<Record<string, string | number>> | undefined): ParsedFields | undefined {
  const parsed = parseMessageFields(message);
  if (attributes === undefined) return parsed;
  // A plain object (fast to fill and to serialize); "__proto__" is never a key of it.
  const out: ParsedFields = {};
  let n = 0;
  if (parsed !== undefined) {
    for (const k in parsed) {
      if (k === "__proto__" || Object.hasOwn(attributes, k)) continue;
      out[k] = parsed[k]!;
      n++;
    }
  }
  for (const k in attributes) {
    if (k === "__proto__" || !Object.hasOwn(attributes, k) || n >= MAX_PARSED_FIELDS) continue;
    out[k] = attributes[k]!;
    n++;
  }
  return n === 0 ? undefined : out;
}

/** Returns the parsed fields as JSON text for storage, or null. */
export function parsedFieldsJson(message: string): string | null {
  const f = parseMessageFields(message);
  return f === undefined ? null : JSON.stringify(f);
}

function parseJsonObject(message: string): ParsedFields | undefined {
  const t = message.trimEnd();
  if (!t.endsWith("}")) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  return flattenObject(v as Record<string, unknown>);
}

const JOURNAL_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * The fields of a structured record a protocol carried (a forward-protocol record, GELF additional
 * fields): its leaves, flattened as those of a JSON message, over the fields parsed from the message
 * (`into`). Top-level keys that are journal names are left out: queries read those from the
 * event's fields.
 */
export function recordParsedFields(record: Record<string, unknown>, into: ParsedFields | undefined): ParsedFields | undefined {
  return flattenObject(record, into, JOURNAL_NAME);
}

/**
 * A JSON object's leaves as flat fields: nested keys joined by dots, array elements by index,
 * booleans as "true"/"false", null dropped; at most MAX_PARSED_FIELDS, MAX_DEPTH levels (also how
 * an Elasticsearch document's fields are named); added to `into` when given, top-level keys
 * matching `skipTop` left out.
 */
export function flattenObject(v: Record<string, unknown>, into?: ParsedFields, skipTop?: RegExp): ParsedFields | undefined {
  const out: ParsedFields = into ?? (Object.create(null) as ParsedFields);
  let n = into === undefined ? 0 : Object.keys(into).length;
  const put = (key: string, x: string | number) => {
    if (!(key in out)) {
      if (n >= MAX_PARSED_FIELDS) return;
      n++;
    }
    out[key] = x;
  };
  const walk = (x: unknown, prefix: string, depth: number): void => {
    if (x === null || x === undefined) return;
    if (typeof x === "string" || typeof x === "number") return put(prefix, x);
    if (typeof x === "boolean") return put(prefix, x ? "true" : "false");
    if (typeof x !== "object" || depth > MAX_DEPTH) return;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) walk(x[i], prefix === "" ? String(i) : `${prefix}.${i}`, depth + 1);
      return;
    }
    for (const k of Object.keys(x)) {
      if (depth === 0 && skipTop !== undefined && skipTop.test(k)) continue;
      walk((x as Record<string, unknown>)[k], prefix === "" ? k : `${prefix}.${k}`, depth + 1);
    }
  };
  walk(v, "", 0);
  return n === 0 ? undefined : out;
}

// key=value, key="quoted value" (\" and \\ escapes), key='single quoted'. A key starts with a
// letter or underscore and holds up to 128 letters, digits, _ . - ; it must follow the start, a
// space, a comma or a semicolon. A scanner does what this regular expression's global matching
// does (message-fields.test.ts compares the two on generated messages), 2x faster:
//   /(?:^|[\s,;])([A-Za-z_][\w.\-]{0,127})=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;]*)/g
const MAX_KEY = 128;
const DECIMAL = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$/;

/** \s of a regular expression, or , or ; */
function isSeparator(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return c === 0x2c /* , */ || c === 0x3b /* ; */;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** [\w.\-] */
function isKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
}

/** Where a double-quoted value starting at `at` ends (after its closing quote), or -1. */
function quotedEnd(m: string, at: number): number {
  for (let i = at + 1; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      // A backslash escapes any character but a line terminator.
      const d = m.charCodeAt(i + 1);
      if (i + 1 >= m.length || d === 0x0a || d === 0x0d || d === 0x2028 || d === 0x2029) return -1;
      i++;
    }
  }
  return -1;
}

function parseKeyValues(message: string): ParsedFields | undefined {
  let out: ParsedFields | undefined;
  let n = 0;
  // `from`: where the previous pair ended; a key's separator must not lie before it.
  let from = 0;
  for (let eq = message.indexOf("=", from); eq >= 0; eq = message.indexOf("=", Math.max(eq + 1, from))) {
    let ks = eq;
    while (ks > 0 && eq - ks <= MAX_KEY && isKeyChar(message.charCodeAt(ks - 1))) ks--;
    if (ks === eq || eq - ks > MAX_KEY) continue;
    const c0 = message.charCodeAt(ks);
    if (!((c0 >= 0x61 && c0 <= 0x7a) || (c0 >= 0x41 && c0 <= 0x5a) || c0 === 0x5f)) continue;
    if (ks === 0 ? from !== 0 : ks - 1 < from || !isSeparator(message.charCodeAt(ks - 1))) continue;
    const key = message.slice(ks, eq);
    const v = eq + 1;
    const q = message.charCodeAt(v);
    let end = -1;
    let value: string | number | undefined;
    if (q === 0x22 /* " */) {
      end = quotedEnd(message, v);
      if (end >= 0) {
        const raw = message.slice(v + 1, end - 1);
        value = raw.indexOf("\\") >= 0 ? raw.replace(/\\(.)/g, "$1") : raw;
      }
    } else if (q === 0x27 /* ' */) {
      const close = message.indexOf("'", v + 1);
      if (close >= 0) {
        end = close + 1;
        value = message.slice(v + 1, close);
      }
    }
    if (value === undefined) {
      end = v;
      while (end < message.length && !isSeparator(message.charCodeAt(end))) end++;
      const raw = message.slice(v, end);
      const f = raw.charCodeAt(0);
      value = (f >= 0x30 && f <= 0x39) || f === 0x2d ? (DECIMAL.test(raw) ? Number(raw) : raw) : raw;
    }
    from = end;
    out ??= Object.create(null) as ParsedFields;
    if (!(key in out)) {
      if (n >= MAX_PARSED_FIELDS) continue;
      n++;
    }
    out[key] = value;
  }
  return out;
}
