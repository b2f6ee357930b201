// Changing an entry: the fields are re-encoded in export format (the order kept, changed values in
// place, added fields at the end) and parsed back, so a changed entry is an ExportEntry like any
// other and leaves the host as raw bytes.
import { encodeExportEntry, type ExportField } from "../../core/journal/export-encoder.js";
import { ExportEntry } from "../../core/journal/export-entry.js";
import { parseExport } from "../../core/journal/export-parser.js";

export type FieldEdits = ReadonlyMap<string, string | Buffer | null>;

/**
 * The entry with the first value of each named field replaced (null removes every value of it);
 * names not in the entry are appended. Other fields keep their bytes.
 */
export function editEntry(entry: ExportEntry, edits: FieldEdits, append: readonly ExportField[] = []): ExportEntry {
  const fields: ExportField[] = [];
  const done = new Set<string>();
  entry.forEachField((name, value) => {
    const e = edits.get(name);
    if (e === undefined) {
      fields.push([name, value]);
    } else if (e !== null && !done.has(name)) {
      fields.push([name, e]);
      done.add(name);
    } else if (e !== null) {
      fields.push([name, value]);
    }
  });
  for (const [name, v] of edits) if (v !== null && !done.has(name) && !entry.has(name)) fields.push([name, v]);
  for (const f of append) fields.push(f);
  return fromFields(fields);
}

/** A new entry from fields. */
export function fromFields(fields: Iterable<ExportField>): ExportEntry {
  const [e] = parseExport(encodeExportEntry(fields));
  return e!;
}

/**
 * The entry with fields added at its end: its bytes are copied once and the new fields written
 * after them, without re-encoding what was there (the cheap path for enrich's labels).
 */
export function appendFields(entry: ExportEntry, fields: readonly ExportField[]): ExportEntry {
  if (fields.length === 0) return entry;
  const tail = encodeExportEntry(fields); // "A=1\nB=2\n\n"
  const raw = entry.raw;
  const keep = raw.length - 1; // without the blank line that ends the entry
  const out = Buffer.allocUnsafe(keep + tail.length);
  raw.copy(out, 0, 0, keep);
  tail.copy(out, keep);
  const [added] = parseExport(tail);
  const index = entry.index.slice();
  const ix = added!.index;
  for (let i = 0; i < ix.length; i++) index.push(i % 5 === 4 ? ix[i]! : ix[i]! + keep);
  return new ExportEntry(out, index);
}
