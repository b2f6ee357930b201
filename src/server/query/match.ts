// Evaluates a storage Predicate against one event in JavaScript: for live tail, and for the parts
// of a query the store cannot evaluate (comparisons on fields extracted by regex named groups).
// Semantics (the same as the SQLite store's, src/server/storage/sqlite/predicate-sql.ts):
// - term: the word appears in the message, case-insensitively, with no letter or digit directly
//   before or after it ("error" matches "Error:" and "db-error", not "errors").
// - phrase: the text appears in the message, case-insensitively.
// - regex: the regular expression matches the message.
// - field: compares the field's value(s). Numbers compare as numbers when the predicate's value is
//   a number (a field value that is not a number then never matches, except with !=); otherwise
//   strings compare exactly (= != < <= > >=) or case-insensitively (contains, starts-with).
//   A repeated field matches when any of its values does (!=: when none equals). A missing field
//   matches nothing but != (an absent field "is not" anything).
// - exists: the field is present.
import { FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PRIORITY, FIELD_SYSTEMD_UNIT } from "../../core/journal/fields.js";
import type { FieldOp, Predicate } from "../storage/store.js";
import { compiledRegex } from "../../core/regex-cache.js";

/** What matchesEvent needs of an event (a StoredEvent has all of it). */
export interface MatchableEvent {
  message: string;
  /** Journal fields (may be nested for JSON). */
  fields: Record<string, unknown>;
  /** Fields parsed from the message at ingest (flat: dot paths as keys), looked up after `fields`. */
  parsed?: Record<string, unknown>;
  /** Fields extracted by the query's regex named groups, looked up first. */
  extracted?: Record<string, unknown>;
  host?: string | null;
  unit?: string | null;
  priority?: number | null;
}

type Scalar = string | number;

export function matchesEvent(pred: Predicate, event: MatchableEvent): boolean {
  switch (pred.kind) {
    case "term":
      return containsLowerWord(lowerMessage(event), pred.value.toLowerCase());
    case "phrase":
      return lowerMessage(event).includes(pred.value.toLowerCase());
    case "regex":
      return compiledRegex(pred.source, pred.flags).test(event.message);
    case "exists":
      return fieldValues(event, pred.field).length > 0;
    case "field": {
      const values = fieldValues(event, pred.field);
      if (pred.op === "!=") return values.every((v) => compare(v, "!=", pred.value));
      return values.some((v) => compare(v, pred.op, pred.value));
    }
    case "and":
      return pred.items.every((p) => matchesEvent(p, event));
    case "or":
      return pred.items.some((p) => matchesEvent(p, event));
    case "not":
      return !matchesEvent(pred.item, event);
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** A letter or digit (ASCII answered without the Unicode regex: it is most of what logs hold). */
export function isWordChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORD_CHAR.test(ch);
}

/**
 * The message in lower case, computed once per event however many predicates (live tails, alerts)
 * look at it: kept on the event object itself.
 */
export function lowerMessage(event: MatchableEvent): string {
  const e = event as MatchableEvent & { [LOWER]?: string };
  // A symbol key: never part of what is serialised of the event (JSON, Object.keys).
  return (e[LOWER] ??= event.message.toLowerCase());
}
const LOWER = Symbol("lowerMessage");

/** `word` occurs in `text` case-insensitively, not glued to a letter or digit on either side. */
export function containsWord(text: string, word: string): boolean {
  return containsLowerWord(text.toLowerCase(), word.toLowerCase());
}

function containsLowerWord(hay: string, needle: string): boolean {
  if (needle === "") return false;
  const checkBefore = isWordChar(needle[0]!);
  const checkAfter = isWordChar(needle[needle.length - 1]!);
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = i > 0 ? hay[i - 1]! : "";
    const after = hay[i + needle.length] ?? "";
    if ((!checkBefore || before === "" || !isWordChar(before)) && (!checkAfter || after === "" || !isWordChar(after))) return true;
  }
  return false;
}


/**
 * The values of a field: a regex group's value (`extracted`), else the journal field itself
 * (`fields["req.status"]`), else a walk of the dotted path through nested objects and arrays, else
 * the field parsed from the message (`parsed`), else the event's message / host / unit / priority columns.
 * Arrays (repeated journal fields) give every element; binary values ({"base64": ...}) and
 * objects give none.
 */
export function fieldValues(event: MatchableEvent, name: string): Scalar[] {
  let v: unknown = event.extracted !== undefined && Object.hasOwn(event.extracted, name) ? event.extracted[name] : undefined;
  if (v === undefined || v === null) v = Object.hasOwn(event.fields, name) ? event.fields[name] : walk(event.fields, name);
  if ((v === undefined || v === null) && event.parsed !== undefined && Object.hasOwn(event.parsed, name)) v = event.parsed[name];
  if (v === undefined || v === null) v = column(event, name);
  const out: Scalar[] = [];
  for (const x of Array.isArray(v) ? v : [v]) {
    if (typeof x === "string" || typeof x === "number") out.push(x);
    else if (typeof x === "boolean" || typeof x === "bigint") out.push(String(x));
  }
  return out;
}

function walk(root: unknown, path: string): unknown {
  if (!path.includes(".")) return undefined;
  let cur: unknown = root;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function column(event: MatchableEvent, name: string): unknown {
  if (name === FIELD_MESSAGE) return event.message;
  if (name === FIELD_HOSTNAME) return event.host;
  if (name === FIELD_SYSTEMD_UNIT) return event.unit;
  if (name === FIELD_PRIORITY) return event.priority;
  return undefined;
}

/** A field value as a number, as the store reads it ("500", " 2.5 ", "1e3"); NaN when it is not one. */
function asNumber(v: Scalar): number {
  if (typeof v === "number") return v;
  if (v.trim() === "") return NaN;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

function compare(actual: Scalar, op: FieldOp, expected: Scalar | Scalar[]): boolean {
  if (Array.isArray(expected)) {
    const any = expected.some((e) => compare(actual, "=", e));
    return op === "!=" ? !any : op === "in" || op === "=" ? any : false;
  }
  if (op === "contains") return String(actual).toLowerCase().includes(String(expected).toLowerCase());
  if (op === "starts-with") return String(actual).toLowerCase().startsWith(String(expected).toLowerCase());
  if (op === "in") return compare(actual, "=", expected);
  let a: Scalar;
  let b: Scalar;
  if (typeof expected === "number") {
    a = asNumber(actual);
    b = expected;
    if (Number.isNaN(a)) return op === "!=";
  } else {
    a = String(actual);
    b = expected;
  }
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}
