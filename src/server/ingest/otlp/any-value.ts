// OTLP AnyValue → what we store: a value as a flat field (nested arrays and maps become dot paths:
// `http.request.header.accept.0`), or as message text (a string as is, anything else as JSON).
// The same code reads protobuf-decoded messages (Long integers, Uint8Array bytes) and OTLP/JSON
// (integers as strings, bytes as base64).
import type { AnyValue, Int64, KeyValue } from "./schema.js";

export type Flat = Record<string, string | number>;

const MAX_DEPTH = 16;
/** Fields one value may add at most (the store keeps 256 per event anyway). */
const MAX_FIELDS = 512;
const TWO32 = 4294967296;

function isLong(x: unknown): x is { low: number; high: number; unsigned?: boolean } {
  return typeof x === "object" && x !== null && typeof (x as { low?: unknown }).low === "number";
}

/** An int64 as a number when exact, else its decimal text. */
export function int64Value(x: Int64 | undefined): string | number {
  if (x === undefined) return 0;
  if (typeof x === "number") return x;
  if (typeof x === "string") return /^-?\d{1,15}$/.test(x) ? Number(x) : x;
  const v = (x.unsigned ? x.high >>> 0 : x.high) * TWO32 + (x.low >>> 0);
  if (Number.isSafeInteger(v)) return v;
  const big = (BigInt(x.unsigned ? x.high >>> 0 : x.high) << 32n) | BigInt(x.low >>> 0);
  return big.toString();
}

/** Nanoseconds since the epoch (fixed64, or its JSON text) as whole microseconds; 0 when unset. */
export function nanosToMicros(x: Int64 | undefined | null): number {
  if (x === undefined || x === null) return 0;
  if (typeof x === "number") return Number.isFinite(x) && x > 0 ? Math.floor(x / 1000) : 0;
  if (typeof x === "string") {
    if (!/^\d+$/.test(x)) return 0;
    return x.length > 3 ? Number(x.slice(0, -3)) : 0;
  }
  // Exact: 2^32 ns = 4294967 µs + 296 ns.
  const hi = x.high >>> 0;
  return hi * 4294967 + Math.floor((hi * 296 + (x.low >>> 0)) / 1000);
}

function bytesText(b: Uint8Array | string): string {
  return typeof b === "string" ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
}

function arr<T>(x: T[] | undefined): T[] {
  return Array.isArray(x) ? x : [];
}

function has(v: AnyValue, k: keyof AnyValue): boolean {
  return Object.hasOwn(v, k) && v[k] !== null && v[k] !== undefined;
}

/** The value as plain JavaScript (for JSON): objects for kvlists, arrays, strings, numbers, booleans. */
export function plainValue(v: AnyValue | null | undefined, depth = 0): unknown {
  if (v === null || v === undefined || typeof v !== "object") return null;
  if (has(v, "stringValue")) return String(v.stringValue);
  if (has(v, "boolValue")) return v.boolValue === true || (v.boolValue as unknown) === "true";
  if (has(v, "intValue")) return int64Value(v.intValue);
  if (has(v, "doubleValue")) return typeof v.doubleValue === "number" && Number.isFinite(v.doubleValue) ? v.doubleValue : String(v.doubleValue);
  if (has(v, "bytesValue")) return bytesText(v.bytesValue!);
  if (depth >= MAX_DEPTH) return null;
  if (has(v, "arrayValue")) return arr(v.arrayValue!.values).map((x) => plainValue(x, depth + 1));
  if (has(v, "kvlistValue")) {
    const o: Record<string, unknown> = {};
    for (const kv of arr(v.kvlistValue!.values)) if (typeof kv?.key === "string") o[kv.key] = plainValue(kv.value, depth + 1);
    return o;
  }
  return null;
}

/** The message text of a body: a string as is, anything else as JSON; "" for none. */
export function bodyText(v: AnyValue | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (has(v, "stringValue")) return String(v.stringValue);
  const p = plainValue(v);
  if (p === null) return "";
  return typeof p === "string" ? p : JSON.stringify(p);
}

/** Adds each attribute to `out` under its key (nested values as dot paths). */
export function flattenAttributes(kvs: readonly KeyValue[] | undefined | null, out: Flat, prefix = ""): void {
  if (!Array.isArray(kvs)) return;
  let n = 0;
  const put = (k: string, x: string | number) => {
    if (n++ < MAX_FIELDS) out[k] = x;
  };
  const walk = (name: string, v: AnyValue | null | undefined, depth: number): void => {
    if (v === null || v === undefined || typeof v !== "object") return;
    if (has(v, "stringValue")) return put(name, String(v.stringValue));
    if (has(v, "boolValue")) return put(name, v.boolValue === true || (v.boolValue as unknown) === "true" ? "true" : "false");
    if (has(v, "intValue")) return put(name, int64Value(v.intValue));
    if (has(v, "doubleValue")) {
      const d = v.doubleValue;
      return put(name, typeof d === "number" && Number.isFinite(d) ? d : String(d));
    }
    if (has(v, "bytesValue")) return put(name, bytesText(v.bytesValue!));
    if (depth >= MAX_DEPTH) return;
    if (has(v, "arrayValue")) {
      const xs = arr(v.arrayValue!.values);
      for (let i = 0; i < xs.length; i++) walk(`${name}.${i}`, xs[i], depth + 1);
    } else if (has(v, "kvlistValue")) {
      for (const kv of arr(v.kvlistValue!.values)) if (typeof kv?.key === "string" && kv.key !== "") walk(`${name}.${kv.key}`, kv.value, depth + 1);
    }
  };
  for (const kv of kvs) {
    if (kv === null || typeof kv !== "object" || typeof kv.key !== "string" || kv.key === "") continue;
    walk(prefix + kv.key, kv.value, 0);
  }
}

/** Trace and span ids: bytes (protobuf) or hex (OTLP/JSON) as lower-case hex; "" when unset. */
export function idHex(x: Uint8Array | string | undefined | null): string {
  if (x === undefined || x === null) return "";
  if (typeof x === "string") return /^[0-9a-fA-F]*$/.test(x) ? x.toLowerCase() : "";
  return x.length === 0 ? "" : Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("hex");
}
