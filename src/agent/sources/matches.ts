// Journal matches a source applies itself (filters pushed down, transforms/filter/push-down.ts):
// an OR of groups, each group an AND over fields, each field an OR of values — exactly what
// journalctl takes as arguments ("F=a F=b G=c + H=d", journalctl(1)). gatewayd's /entries takes
// only one group (`?F=a&F=b&G=c`, systemd-journal-gatewayd(8)): several groups are widened to the
// fields all of them constrain. Matching compares bytes: "FIELD=value" as the journal stores it.
import type { ExportEntry } from "../../core/journal/export-entry.js";

/** One group: field → the values any of which it may have (AND across fields). */
export type MatchGroup = Readonly<Record<string, readonly string[]>>;
/** Groups, any of which an entry may satisfy; never empty when pushed down. */
export type JournalMatches = readonly MatchGroup[];

/** journalctl's match arguments: a group's FIELD=value pairs, groups separated by "+". */
export function journalctlMatchArgs(m: JournalMatches): string[] {
  const out: string[] = [];
  m.forEach((g, i) => {
    if (i > 0) out.push("+");
    for (const [field, values] of Object.entries(g)) for (const v of values) out.push(`${field}=${v}`);
  });
  return out;
}

/**
 * The one group gatewayd can apply: the group itself, or for several groups the fields every one
 * of them constrains, with the values of all (a superset: the agent's filter still decides).
 * Undefined when no field is common to all groups.
 */
export function singleGroup(m: JournalMatches): MatchGroup | undefined {
  if (m.length === 0) return undefined;
  if (m.length === 1) return m[0];
  const out: Record<string, string[]> = {};
  for (const field of Object.keys(m[0]!)) {
    if (!m.every((g) => g[field] !== undefined)) continue;
    out[field] = [...new Set(m.flatMap((g) => g[field]!))];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** gatewayd's query arguments for one group: F=a&F=b&G=c (URL-encoded). */
export function gatewaydMatchQuery(g: MatchGroup): string {
  const parts: string[] = [];
  for (const [field, values] of Object.entries(g)) for (const v of values) parts.push(`${encodeURIComponent(field)}=${encodeURIComponent(v)}`);
  return parts.join("&");
}

/** Whether the entry satisfies the matches as the journal applies them (any value of a field counts). */
export function entryMatches(m: JournalMatches, e: ExportEntry): boolean {
  return m.some((g) => Object.entries(g).every(([field, values]) => values.some((v) => entryHasValue(e, field, Buffer.from(v, "utf8")))));
}

/** Whether any value of the field equals v, byte for byte (a field may occur several times). */
export function entryHasValue(e: ExportEntry, name: string, v: Buffer): boolean {
  const ix = e.index;
  const raw = e.raw;
  for (let i = 0; i < ix.length; i += 5) {
    const ns = ix[i]!;
    const ne = ix[i + 1]!;
    if (ne - ns !== name.length || raw.toString("latin1", ns, ne) !== name) continue;
    if (ix[i + 3]! - ix[i + 2]! === v.length && raw.compare(v, 0, v.length, ix[i + 2]!, ix[i + 3]!) === 0) return true;
  }
  return false;
}

/** For logs: "_SYSTEMD_UNIT=nginx.service _SYSTEMD_UNIT=nginx + PRIORITY=3". */
export function describeMatches(m: JournalMatches): string {
  return journalctlMatchArgs(m).join(" ");
}
