// An entry as `journalctl -o json` writes it: every field by its journal name, a value as a string
// when it is printable UTF-8 and as an array of byte values otherwise, a field that occurs several
// times as an array of its values. The form of the file and stdout sinks, and of Loki and
// Elasticsearch documents' journal fields.
import { isUtf8 } from "node:buffer";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_REALTIME_TIMESTAMP, FIELD_SOURCE_REALTIME_TIMESTAMP } from "../../../core/journal/fields.js";

export type JsonValue = string | number[];

export function entryToJson(entry: ExportEntry): Record<string, JsonValue | JsonValue[]> {
  const all = new Map<string, JsonValue[]>();
  entry.forEachField((name, value) => {
    const v: JsonValue = isUtf8(value) ? value.toString("utf8") : [...value];
    const list = all.get(name);
    if (list === undefined) all.set(name, [v]);
    else list.push(v);
  });
  const out: Record<string, JsonValue | JsonValue[]> = {};
  for (const [name, list] of all) out[name] = list.length === 1 ? list[0]! : list;
  return out;
}

/** When the entry was logged, in microseconds: _SOURCE_REALTIME_TIMESTAMP, else __REALTIME_TIMESTAMP, else `fallbackUs`. */
export function entryTimeUs(entry: ExportEntry, fallbackUs: number): number {
  for (const f of [FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_REALTIME_TIMESTAMP]) {
    const v = entry.get(f);
    if (v !== undefined && /^\d{1,17}$/.test(v)) return Number(v);
  }
  return fallbackUs;
}

/** JSON.stringify leaves U+2028/U+2029 raw; some NDJSON readers split lines on them. */
export function ndjsonLine(v: unknown): string {
  return JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029")) + "\n";
}
