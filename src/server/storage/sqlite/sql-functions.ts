// JavaScript functions registered on the connection for predicates SQL cannot express:
// regular expressions (RE2: linear time), Unicode case-insensitive matching, and "is this a
// number" tests. Each checks the query's hard deadline (core/deadline.ts), so a long statement
// that calls them stops once the deadline has passed.
import type Database from "better-sqlite3";
import { checkDeadline } from "../../../core/deadline.js";
import { compiledRegex } from "../../../core/regex-cache.js";


/** A number for values that read as one ("500", " 2.5", 7), else null. */
export function numeric(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "string" || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function registerFunctions(db: Database.Database): void {
  const opts = { deterministic: true, varargs: false } as const;
  // X REGEXP Y calls regexp(Y, X).
  db.function("regexp", opts, (pattern: unknown, value: unknown) => {
    checkDeadline();
    return typeof value === "string" && typeof pattern === "string" && compiledRegex(pattern, "").test(value) ? 1 : 0;
  });
  db.function("lh_regexp", opts, (value: unknown, source: unknown, flags: unknown) => {
    checkDeadline();
    return typeof value === "string" && compiledRegex(String(source), String(flags)).test(value) ? 1 : 0;
  });
  db.function("lh_icontains", opts, (value: unknown, needle: unknown) => {
    checkDeadline();
    return value === null || needle === null ? null : String(value).toLowerCase().includes(String(needle).toLowerCase()) ? 1 : 0;
  });
  db.function("lh_istarts", opts, (value: unknown, prefix: unknown) => {
    checkDeadline();
    return value === null || prefix === null ? null : String(value).toLowerCase().startsWith(String(prefix).toLowerCase()) ? 1 : 0;
  });
  db.function("lh_num", opts, (value: unknown) => {
    checkDeadline();
    return numeric(value);
  });
}
