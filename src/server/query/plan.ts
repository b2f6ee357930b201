// TEMPORARY stand-in, to be replaced by the LEQL planner (same exported signature).
// Turns a query's where() part into a storage predicate. This stand-in understands only
// whitespace-separated keywords, optionally wrapped in where( ... ).
import type { Predicate } from "../storage/store.js";

export function planWhere(query: string): Predicate | undefined {
  const m = /^\s*where\((.*)\)\s*$/s.exec(query);
  const body = (m ? m[1]! : query).trim();
  if (body === "") return undefined;
  const items: Predicate[] = body.split(/\s+/).map((value) => ({ kind: "term", value }));
  return items.length === 1 ? items[0] : { kind: "and", items };
}
