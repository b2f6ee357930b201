// Why a query found nothing, when the reason is a field no entry has: `where(status>=500)` over
// entries none of which has `status` says so, with the fields the entries do have, rather than an
// empty answer that looks like "no errors". Looked for only when the answer is empty, in the newest
// entries of the range (a sample: one indexed read).
import { FIELD_ALIASES, FIELD_HOSTNAME, FIELD_MESSAGE, FIELD_PRIORITY, FIELD_SYSTEMD_UNIT } from "../../core/journal/fields.js";
import type { QueryPlan } from "../query/plan.js";
import type { Predicate, Store } from "../storage/store.js";

export const NOTICE_SAMPLE = 1000;
const COLUMNS = new Set([FIELD_MESSAGE, FIELD_HOSTNAME, FIELD_SYSTEMD_UNIT, FIELD_PRIORITY]);
const ALIAS_OF: Record<string, string> = {};
for (const [alias, name] of Object.entries(FIELD_ALIASES)) ALIAS_OF[name] ??= alias;

/** Field names the predicate compares or tests (columns every entry has left out). */
function comparedFields(p: Predicate, out: Set<string>): Set<string> {
  if ((p.kind === "field" || p.kind === "exists") && !COLUMNS.has(p.field) && !(p.kind === "field" && p.op === "in" && Array.isArray(p.value) && p.value.length === 0)) out.add(p.field);
  if (p.kind === "and" || p.kind === "or") for (const i of p.items) comparedFields(i, out);
  if (p.kind === "not") comparedFields(p.item, out);
  return out;
}

/** The notice for an empty answer of `plan` over the range, or undefined when every compared field is there. */
export function missingFieldNotice(store: Store, plan: QueryPlan, q: { logIds: string[]; fromUs: number; toUs: number }): string | undefined {
  if (!plan.where) return undefined;
  const wanted = comparedFields(plan.where, new Set());
  if (wanted.size === 0) return undefined;
  const sample = store.search({ logIds: q.logIds, fromUs: q.fromUs, toUs: q.toUs, limit: NOTICE_SAMPLE, order: "desc" }).events;
  if (sample.length === 0) return "no entry in this time range and these logs at all; widen the time range (--from) or check the logs (logharbor logs list)";
  const seen = new Map<string, number>();
  const see = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
  for (const e of sample) {
    for (const k of Object.keys(e.fields)) see(k);
    if (e.parsed) for (const k of Object.keys(e.parsed)) see(k);
  }
  const missing = [...wanted].filter((f) => !seen.has(f) && ![...seen.keys()].some((k) => k.startsWith(`${f}.`)));
  if (missing.length === 0) return undefined;
  const shown = (f: string) => `\`${ALIAS_OF[f] ?? f}\``;
  const names = [...seen.entries()]
    .filter(([k]) => !k.startsWith("__") && !COLUMNS.has(k))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 25)
    .map(([k]) => k);
  const scope = sample.length < NOTICE_SAMPLE ? `none of the ${sample.length} entries in range` : `none of the newest ${NOTICE_SAMPLE} entries in range`;
  return `${scope} has the field ${missing.map(shown).join(" or ")}; fields seen: ${names.join(", ")}${seen.size > names.length ? ", …" : ""} (logharbor fields lists them)`;
}
