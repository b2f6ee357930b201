// Small LEQL helpers for the page: where the caret is (a field name or a value to complete), and
// adding `field = value` to a query. The server stays the judge of syntax.

export const CLAUSES = ["where(", "groupby(", "calculate(", "timeslice(", "sort(", "limit("];
export const KEYWORDS = ["AND", "OR", "NOT", "IN", "CONTAINS", "STARTS-WITH"];
export const ALIASES = ["host", "unit", "priority", "message", "container", "identifier", "pid"];
export const PRIORITY_NAMES = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

export interface CompletionContext {
  kind: "field" | "value";
  /** The field whose values to offer (kind "value"). */
  field?: string;
  /** The partial word under the caret, replaced on accept. */
  prefix: string;
  start: number;
  end: number;
}

const WORD_CHAR = /[^\s()"[\],=<>!]/;

export function completionContext(text: string, caret: number): CompletionContext | undefined {
  let start = caret;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  let end = caret;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  // Inside a quoted value: complete the value from its opening quote.
  const before = text.slice(0, start);
  const quoted = /"([^"]*)$/.exec(before);
  if (quoted && (before.split('"').length - 1) % 2 === 1) {
    const qstart = before.length - quoted[0].length;
    const m = /([A-Za-z_][\w.@-]*)\s*(=|!=|<=|>=|<|>|\s+contains\s+|\s+starts-with\s+)\s*$/i.exec(text.slice(0, qstart));
    if (m) return { kind: "value", field: m[1]!, prefix: quoted[1]! + text.slice(start, caret), start: qstart, end };
    return undefined;
  }
  const prefix = text.slice(start, caret);
  const op = /([A-Za-z_][\w.@-]*)\s*(=|!=|<=|>=|<|>)\s*$/.exec(before) ?? /([A-Za-z_][\w.@-]*)\s+(contains|starts-with)\s+$/i.exec(before);
  if (op) return { kind: "value", field: op[1]!, prefix, start, end };
  const inList = /([A-Za-z_][\w.@-]*)\s+in\s*\[[^\]]*$/i.exec(before);
  if (inList) return { kind: "value", field: inList[1]!, prefix, start, end };
  if (prefix === "" || /^[\d/]/.test(prefix)) return undefined;
  return { kind: "field", prefix, start, end };
}

export { addCondition, quoteValue } from "../core/query-edit.js";

/** True when the query computes statistics (roughly; the server decides). */
export function looksLikeStatistics(q: string): boolean {
  return /(^|\s)(groupby|calculate|timeslice)\s*\(/i.test(q);
}

const NOT_TERMS = new Set(["and", "or", "not", "in", "contains", "starts-with", "where", "groupby", "calculate", "timeslice", "sort", "limit"]);

/** The words and phrases a query searches the message for (to highlight them), roughly: the server decides matches. */
export function highlightTerms(q: string): string[] {
  const out: string[] = [];
  // Drop comparisons (field OP value), regexes and clauses other than where.
  const text = q
    .replace(/\b(groupby|calculate|timeslice|sort|limit)\s*\([^)]*\)/gi, " ")
    .replace(/\/(?:[^/\\]|\\.)+\/[a-z]*/g, " ")
    .replace(/[A-Za-z_][\w.@-]*\s*(?:!=|<=|>=|=|<|>)\s*("[^"]*"|\S+)/g, " ")
    .replace(/[A-Za-z_][\w.@-]*\s+(?:contains|starts-with)\s+("[^"]*"|\S+)/gi, " ")
    .replace(/[A-Za-z_][\w.@-]*\s+in\s*\[[^\]]*\]/gi, " ");
  for (const m of text.matchAll(/"([^"]+)"|([^\s()"]+)/g)) {
    const t = (m[1] ?? m[2] ?? "").trim();
    if (t.length >= 2 && !NOT_TERMS.has(t.toLowerCase())) out.push(t);
  }
  return out.slice(0, 20);
}
