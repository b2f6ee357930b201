// Where a field's value lives in the SQLite schema, as a SQL expression over `events e`:
// - _HOSTNAME / _SYSTEMD_UNIT: dictionary ids in e.host / e.unit (names in hosts / units);
// - PRIORITY, MESSAGE: columns;
// - a journal field name (upper case: /^[A-Z_][A-Z0-9_]*$/): the journal fields (e.fields) first,
//   then the fields parsed from the message (p.parsed: event_parsed joined as `p`, range-queries.ts);
// - any other name (`status`, `req.method`, `items.0.id`): only the parsed fields. journald allows
//   only upper-case field names, so a lower-case name can only be a parsed one; this keeps the big
//   e.fields document out of the lookup.
import { LogharborError } from "../../../core/errors.js";
import { FIELD_ALIASES, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PRIORITY, FIELD_SYSTEMD_UNIT } from "../../../core/journal/fields.js";

export type FieldTarget =
  | { kind: "column"; sql: string; numeric: boolean }
  | { kind: "dict"; column: string; table: "hosts" | "units" }
  | { kind: "json"; sql: string };

const JOURNAL_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function fieldTarget(field: string): FieldTarget {
  const name = FIELD_ALIASES[field.toLowerCase()] ?? field;
  if (name === FIELD_HOSTNAME) return { kind: "dict", column: "e.host", table: "hosts" };
  if (name === FIELD_SYSTEMD_UNIT) return { kind: "dict", column: "e.unit", table: "units" };
  if (name === FIELD_PRIORITY) return { kind: "column", sql: "e.priority", numeric: true };
  if (name === FIELD_MESSAGE) return { kind: "column", sql: "e.message", numeric: false };
  if (name === "" || /["\\\u0000]/.test(name)) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `query: field name must be non-empty without quotes or backslashes, got ${JSON.stringify(field)}`);
  }
  const path = sqlString(`$."${name}"`);
  const sql = JOURNAL_NAME.test(name)
    ? `COALESCE(json_extract(e.fields, ${path}), json_extract(p.parsed, ${path}))`
    : `json_extract(p.parsed, ${path})`;
  return { kind: "json", sql };
}

/** The raw value of a field as one SQL expression (dictionary fields by name, through a subquery). */
export function valueSql(field: string): string {
  const t = fieldTarget(field);
  if (t.kind === "dict") return `(SELECT name FROM ${t.table} WHERE id = ${t.column})`;
  return t.sql;
}

/** `x` as a number when it is one (a number, or text that reads as one), else NULL. */
export function numericSql(x: string): string {
  // One typeof() test; JavaScript (lh_num) only for text, never for NULL.
  return `(CASE typeof(${x}) WHEN 'integer' THEN ${x} WHEN 'real' THEN ${x} WHEN 'text' THEN lh_num(${x}) END)`;
}
