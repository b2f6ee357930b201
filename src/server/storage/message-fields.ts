// Structured fields parsed from a message at ingest, as Logentries does:
// - a message that is a JSON object ("{...}") gives every leaf as a field: nested keys joined by
//   dots (`req.method`), array elements by index (`items.0.id`); the last duplicate key wins.
// - a plain message gives its key=value pairs (`status=503 user="a b"`); the last one wins.
// Values keep their JSON type (numbers stay numbers, booleans become "true"/"false", null is
// dropped); key=value values that read as plain decimal numbers become numbers. The result is a
// flat object, stored beside the journal fields (never mixed with them), or undefined when the
// message has nothing to parse. Cheap for the common case: only messages that start with "{" or
// contain "=" are looked at.

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
  return message.indexOf("=") >= 0 ? parseKeyValues(message) : undefined;
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
  const out: ParsedFields = Object.create(null) as ParsedFields;
  let n = 0;
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
    for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], prefix === "" ? k : `${prefix}.${k}`, depth + 1);
  };
  walk(v, "", 0);
  return n === 0 ? undefined : out;
}

// key=value, key="quoted value" (\" and \\ escapes), key='single quoted'. A key starts with a
// letter or underscore and holds letters, digits, _ . - ; it must follow the start or a space.
const KV = /(?:^|[\s,;])([A-Za-z_][\w.\-]{0,127})=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,;]*)/g;
const DECIMAL = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?$/;

function parseKeyValues(message: string): ParsedFields | undefined {
  let out: ParsedFields | undefined;
  let n = 0;
  KV.lastIndex = 0;
  for (let m = KV.exec(message); m !== null; m = KV.exec(message)) {
    const key = m[1]!;
    let raw = m[2]!;
    let value: string | number;
    if (raw.startsWith('"')) {
      raw = raw.slice(1, -1);
      value = raw.indexOf("\\") >= 0 ? raw.replace(/\\(.)/g, "$1") : raw;
    } else if (raw.startsWith("'")) {
      value = raw.slice(1, -1);
    } else {
      value = DECIMAL.test(raw) ? Number(raw) : raw;
    }
    out ??= Object.create(null) as ParsedFields;
    if (!(key in out)) {
      if (n >= MAX_PARSED_FIELDS) continue;
      n++;
    }
    out[key] = value;
  }
  return out;
}
