// One filter's conditions compiled into a predicate over raw entries. Every condition given must
// hold: unit include/exclude (globs on _SYSTEMD_UNIT), priority (as `journalctl -p`: an entry
// without PRIORITY does not match), field matches (AND within a group, OR across groups, as
// journalctl's `+`), a regular expression the MESSAGE must match and one it must not.
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_MESSAGE, FIELD_PRIORITY, FIELD_SYSTEMD_UNIT } from "../../../core/journal/fields.js";
import { entryHasValue } from "../../sources/matches.js";
import { FieldLookup, TextCache } from "../fields.js";
import { GlobSet } from "../glob.js";
import { parsePriority } from "./priority.js";

export interface FilterSpec {
  units?: { include?: string[]; exclude?: string[] };
  /** "info" (info and more severe) or a range "emerg..err". */
  priority?: string;
  /** Groups of FIELD: value; an entry matches a group when it has every pair. */
  matches?: Record<string, string>[];
  /** A regular expression MESSAGE must match. */
  message?: string;
  /** A regular expression MESSAGE must not match. */
  message_exclude?: string;
}

export type Predicate = (e: ExportEntry) => boolean;

/** Compiles a filter; throws an Error naming the problem for a bad regular expression or priority. */
export function compileFilter(spec: FilterSpec): Predicate {
  // Each check reads the fields one scan found (fields.ts); the scan runs once per entry and looks
  // only for the fields the conditions given need.
  const wanted: string[] = [];
  if (spec.units?.include?.length || spec.units?.exclude?.length) wanted.push(FIELD_SYSTEMD_UNIT);
  if (spec.priority !== undefined) wanted.push(FIELD_PRIORITY);
  if (spec.message !== undefined || spec.message_exclude !== undefined) wanted.push(FIELD_MESSAGE);
  const f = new FieldLookup(wanted);
  const UNIT = wanted.indexOf(FIELD_SYSTEMD_UNIT);
  const PRIORITY = wanted.indexOf(FIELD_PRIORITY);
  const MESSAGE = wanted.indexOf(FIELD_MESSAGE);
  const units = new TextCache();
  const checks: ((e: ExportEntry) => boolean)[] = [];
  const include = spec.units?.include?.length ? new GlobSet(spec.units.include) : undefined;
  const exclude = spec.units?.exclude?.length ? new GlobSet(spec.units.exclude) : undefined;
  if (include || exclude) {
    checks.push(() => {
      const u = f.cachedText(UNIT, units);
      if (u === undefined) return include === undefined;
      if (exclude?.matches(u)) return false;
      return include === undefined || include.matches(u);
    });
  }
  if (spec.priority !== undefined) {
    const r = parsePriority(spec.priority);
    if (typeof r === "string") throw new Error(r);
    checks.push(() => {
      if (f.length(PRIORITY) !== 1) return false;
      const p = f.byte(PRIORITY, 0) - 48;
      return p >= r.min && p <= r.max;
    });
  }
  if (spec.matches?.length) {
    const groups = spec.matches.map((g) => Object.entries(g).map(([k, v]) => [k, Buffer.from(v, "utf8")] as const));
    checks.push((e) => groups.some((g) => g.every(([k, v]) => entryHasValue(e, k, v))));
  }
  if (spec.message !== undefined) {
    const re = new RegExp(spec.message, "u");
    checks.push(() => re.test(f.text(MESSAGE) ?? ""));
  }
  if (spec.message_exclude !== undefined) {
    const re = new RegExp(spec.message_exclude, "u");
    checks.push(() => !re.test(f.text(MESSAGE) ?? ""));
  }
  if (checks.length === 0) return () => true;
  return (e) => {
    f.scan(e);
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(e)) return false;
    return true;
  };
}
