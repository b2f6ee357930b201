// Turns one journal export entry into the event the store keeps: time, host, unit, priority and a
// readable message as columns, every field (binary-safe) as JSON. One pass over the fields; for the
// common entry (ASCII, each field once) the JSON text is written directly, without an object.
import { isAscii, isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { identityOf, type IdentityFields } from "../../../core/journal/cursor.js";
import {
  FIELD_BOOT_ID, FIELD_CURSOR, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_MONOTONIC_TIMESTAMP, FIELD_PRIORITY, FIELD_REALTIME_TIMESTAMP,
  FIELD_SEQNUM, FIELD_SEQNUM_ID, FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_SYSTEMD_UNIT,
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

/** The columns an event takes from its fields, and the fields of its identity (each the first value). */
class Columns implements IdentityFields {
  message: string | undefined;
  host: string | null = null;
  unit: string | null = null;
  priority: number | null = null;
  realtime: string | undefined;
  sourceRealtime: string | undefined;
  seqnumId: string | undefined;
  seqnum: string | undefined;
  cursor: string | undefined;
  bootId: string | undefined;
  monotonic: string | undefined;

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
      case FIELD_CURSOR:
        this.cursor ??= text ?? bytes?.toString("utf8");
        break;
      case FIELD_SEQNUM_ID:
        this.seqnumId ??= text ?? bytes?.toString("utf8");
        break;
      case FIELD_SEQNUM:
        this.seqnum ??= text ?? bytes?.toString("utf8");
        break;
      case FIELD_BOOT_ID:
        this.bootId ??= text ?? bytes?.toString("utf8");
        break;
      case FIELD_MONOTONIC_TIMESTAMP:
        this.monotonic ??= text ?? bytes?.toString("utf8");
        break;
    }
  }
}

/** The names of the entry being read (reused: asciiJson is not reentrant). */
const names: string[] = [];
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * An ASCII entry whose fields each appear once (nearly all): the fields' JSON text, written as
 * JSON.stringify would write the object readAscii builds; undefined when a field repeats or a name
 * starts with a digit (an object would order it first), and readAscii must do it. Repeats are found
 * with a 64-bit signature of the names seen (length and three characters), names compared only
 * when it collides.
 */
function asciiJson(s: string, spans: readonly number[], cols: Columns): string | undefined {
  let lo = 0;
  let hi = 0;
  let count = 0;
  let json = "{";
  for (let i = 0; i < spans.length; i += 5) {
    const ns = spans[i]!;
    const ne = spans[i + 1]!;
    const len = ne - ns;
    const first = s.charCodeAt(ns);
    if (first >= DIGIT_0 && first <= DIGIT_9) return undefined;
    const name = s.slice(ns, ne);
    const h = (len * 7 + first * 3 + s.charCodeAt(ne - 1) + s.charCodeAt(ns + (len >> 1)) * 5) & 63;
    const bit = 1 << (h & 31);
    if ((h < 32 ? lo : hi) & bit) {
      for (let k = 0; k < count; k++) if (names[k] === name) return undefined;
    }
    if (h < 32) lo |= bit;
    else hi |= bit;
    names[count++] = name;
    const value = s.slice(spans[i + 2], spans[i + 3]);
    if (!(name === FIELD_MESSAGE && cols.message === undefined)) {
      // Names are [A-Za-z0-9_] (the parser checks), so they need no escaping.
      json += (json.length === 1 ? '"' : ',"') + name + '":' + JSON.stringify(value);
    }
    cols.see(name, value);
  }
  return json + "}";
}

/** Entries that are all ASCII (most): one string for the whole entry, fields sliced from it. */
function readAscii(s: string, spans: readonly number[], fields: Fields, cols: Columns): void {
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
  let cols = new Columns();
  let fieldsJson: string | undefined;
  if (isAscii(entry.raw)) {
    const s = entry.raw.toString("latin1");
    fieldsJson = asciiJson(s, entry.index, cols);
    if (fieldsJson === undefined) {
      const fields: Fields = {};
      cols = new Columns();
      readAscii(s, entry.index, fields, cols);
      fieldsJson = JSON.stringify(fields);
    }
  } else {
    const fields: Fields = {};
    readAny(entry, fields, cols);
    fieldsJson = JSON.stringify(fields);
  }
  const ident = identityOf(cols) ?? `h:${createHash("sha256").update(entry.raw).digest("base64url")}`;
  return {
    ident,
    tsUs: timestamp(cols.realtime) ?? timestamp(cols.sourceRealtime) ?? nowUs,
    host: cols.host,
    unit: cols.unit,
    priority: cols.priority,
    message: cols.message ?? "",
    fieldsJson,
  };
}
