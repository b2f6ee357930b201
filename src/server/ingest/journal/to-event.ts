// Turns one journal export entry into the event the store keeps: time, host, unit, priority and a
// readable message as columns, every field (binary-safe) as JSON. One pass over the fields.
import { isAscii, isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { journalIdentity } from "../../../core/journal/cursor.js";
import {
  FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PRIORITY, FIELD_REALTIME_TIMESTAMP, FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_SYSTEMD_UNIT,
} from "../../../core/journal/fields.js";
import type { NewEvent } from "../../storage/store.js";

function timestamp(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,17}$/.test(v) ? Number(v) : undefined;
}

type Fields = Record<string, unknown>;

function addField(fields: Fields, name: string, value: unknown): void {
  if (!Object.hasOwn(fields, name)) {
    if (name === "__proto__") Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
    else fields[name] = value;
    return;
  }
  const prev = fields[name];
  if (Array.isArray(prev)) prev.push(value);
  else fields[name] = [prev, value];
}

/** The columns an event takes from its fields (each from the field's first value). */
class Columns {
  message: string | undefined;
  host: string | null = null;
  unit: string | null = null;
  priority: number | null = null;
  realtime: string | undefined;
  sourceRealtime: string | undefined;

  see(name: string, text: string | undefined, bytes?: Buffer): void {
    switch (name) {
      case FIELD_MESSAGE:
        // Invalid UTF-8 is decoded with U+FFFD replacements; the raw bytes stay in the fields.
        if (this.message === undefined) this.message = text ?? bytes?.toString("utf8") ?? "";
        break;
      case FIELD_HOSTNAME:
        if (this.host === null && text !== undefined) this.host = text;
        break;
      case FIELD_SYSTEMD_UNIT:
        if (this.unit === null && text !== undefined) this.unit = text;
        break;
      case FIELD_PRIORITY:
        if (this.priority === null && text !== undefined && /^[0-7]$/.test(text)) this.priority = Number(text);
        break;
      case FIELD_REALTIME_TIMESTAMP:
        this.realtime ??= text;
        break;
      case FIELD_SOURCE_REALTIME_TIMESTAMP:
        this.sourceRealtime ??= text;
        break;
    }
  }
}

/** Entries that are all ASCII (most): one string for the whole entry, fields sliced from it. */
function readAscii(raw: Buffer, spans: readonly number[], fields: Fields, cols: Columns): void {
  const s = raw.toString("latin1");
  for (let i = 0; i < spans.length; i += 5) {
    const name = s.slice(spans[i], spans[i + 1]);
    const value = s.slice(spans[i + 2], spans[i + 3]);
    // The message is stored once, in its column (the store puts it back into the fields on read).
    if (!(name === FIELD_MESSAGE && cols.message === undefined)) addField(fields, name, value);
    cols.see(name, value);
  }
}

function readAny(entry: ExportEntry, fields: Fields, cols: Columns): void {
  entry.forEachField((name, bytes) => {
    const text = isUtf8(bytes) ? bytes.toString("utf8") : undefined;
    // A text message is stored once, in its column; one that is not UTF-8 keeps its bytes here.
    if (!(name === FIELD_MESSAGE && cols.message === undefined && text !== undefined)) {
      addField(fields, name, text ?? { base64: bytes.toString("base64") });
    }
    cols.see(name, text, bytes);
  });
}

/**
 * The event for a journal entry. fieldsJson holds every field: text, {"base64"} for bytes that are
 * not valid UTF-8, an array for a field present several times.
 */
export function journalEntryToEvent(entry: ExportEntry, nowUs: number = Date.now() * 1000): NewEvent {
  const fields: Fields = {};
  const cols = new Columns();
  if (isAscii(entry.raw)) readAscii(entry.raw, entry.index, fields, cols);
  else readAny(entry, fields, cols);
  const ident = journalIdentity(entry) ?? `h:${createHash("sha256").update(entry.raw).digest("base64url")}`;
  return {
    ident,
    tsUs: timestamp(cols.realtime) ?? timestamp(cols.sourceRealtime) ?? nowUs,
    host: cols.host,
    unit: cols.unit,
    priority: cols.priority,
    message: cols.message ?? "",
    fieldsJson: JSON.stringify(fields),
  };
}
