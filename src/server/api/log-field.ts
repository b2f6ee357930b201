// `log` as a query field: `log = web`, `log != audit`, `log IN [web, api]`, joined to the rest of the
// where() by AND. The log is not a field of the entries but where they are stored, so these
// comparisons become the set of logs to search (with the log parameter, their intersection), which
// every store and the live tail understand; the rest of the predicate is left as it was. `log`
// anywhere else (under OR or NOT, with < or CONTAINS) is refused with the accepted forms.
import { LogharborError } from "../../core/errors.js";
import type { QueryPlan } from "../query/plan.js";
import type { Predicate, Store } from "../storage/store.js";

export const LOG_FIELD = "log";

const FORMS = "compare it with =, != or IN joined to the rest by AND, as in `log = web AND status >= 500` or `log IN [web, api]`";

function mentionsLog(p: Predicate): boolean {
  switch (p.kind) {
    case "field":
    case "exists":
      return p.field === LOG_FIELD;
    case "and":
    case "or":
      return p.items.some(mentionsLog);
    case "not":
      return mentionsLog(p.item);
    default:
      return false;
  }
}

function isLogComparison(p: Predicate): p is Extract<Predicate, { kind: "field" }> {
  return p.kind === "field" && p.field === LOG_FIELD && (p.op === "=" || p.op === "!=" || p.op === "in");
}

/** The names compared, as log ids; an unknown name is refused (404) with the logs there are. */
function idsOf(store: Store, value: string | number | Array<string | number>): string[] {
  const names = (Array.isArray(value) ? value : [value]).map(String);
  return names.map((n) => {
    const log = store.logByName(n) ?? store.logById(n);
    if (!log) {
      const known = store.listLogs().map((l) => l.name).slice(0, 20).join(", ");
      throw new LogharborError("LH_ERR_LOG_NOT_FOUND", `query: log = ${JSON.stringify(n)}: no such log; the logs are: ${known || "(none yet)"}`, { status: 404 });
    }
    return log.id;
  });
}

/**
 * Moves the plan's `log` comparisons into the log ids to search (`logIds` from the log parameter;
 * empty = all). Returns the plan without them and the ids; the plan is unchanged when it has none.
 */
export function applyLogField(store: Store, plan: QueryPlan, logIds: string[]): { plan: QueryPlan; logIds: string[] } {
  if (!plan.where || !mentionsLog(plan.where)) {
    if (plan.postFilter && mentionsLog(plan.postFilter)) throw new LogharborError("LH_ERR_QUERY_FIELD", `query: log: ${FORMS}`);
    return { plan, logIds };
  }
  const items = plan.where.kind === "and" ? plan.where.items : [plan.where];
  const rest: Predicate[] = [];
  let ids: Set<string> | undefined = logIds.length > 0 ? new Set(logIds) : undefined;
  for (const item of items) {
    if (!isLogComparison(item)) {
      if (mentionsLog(item)) throw new LogharborError("LH_ERR_QUERY_FIELD", `query: log: ${FORMS}`);
      rest.push(item);
      continue;
    }
    const named = new Set(idsOf(store, item.value));
    const all = ids ?? new Set(store.listLogs().map((l) => l.id));
    ids = new Set([...all].filter((id) => (item.op === "!=" ? !named.has(id) : named.has(id))));
  }
  const list = [...(ids ?? [])];
  // No log left to search: a condition nothing meets, so that the answer is empty rather than every log.
  if (ids !== undefined && list.length === 0) rest.push({ kind: "field", field: LOG_FIELD, op: "in", value: [] });
  const out: QueryPlan = { ...plan };
  if (rest.length === 0) delete out.where;
  else out.where = rest.length === 1 ? rest[0]! : { kind: "and", items: rest };
  return { plan: out, logIds: list.length === 0 ? logIds : list };
}
