// Editing a query's text: adding `field = value` to its where() (the page's click-to-filter, the CLI's
// -u/-p/--host/--container). Used by the web page and the CLI; the server stays the judge of syntax.

/** A value as written in a query: bare when it is one plain word, else quoted. */
export function quoteValue(v: string | number): string {
  if (typeof v === "number") return String(v);
  if (/^[A-Za-z0-9_.:@-]+$/.test(v) && !/^(and|or|not|in|contains|starts-with)$/i.test(v) && !/^\d/.test(v)) return v;
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Index of the parenthesis closing the one at `open`, or -1. Skips quoted strings and regexes roughly. */
function closingParen(q: string, open: number): number {
  let depth = 0;
  for (let i = open; i < q.length; i++) {
    const c = q[i];
    if (c === '"') {
      for (i++; i < q.length && q[i] !== '"'; i++) if (q[i] === "\\") i++;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}

function and(head: string, cond: string): string {
  if (!head) return cond;
  return /(^|[\s)])or([\s(]|$)/i.test(head) ? `(${head}) AND ${cond}` : `${head} AND ${cond}`;
}

/** Adds `field OP value` (default =) to the query's where(), keeping its other clauses. */
export function addCondition(query: string, field: string, value: string | number, op = "="): string {
  const cond = `${field} ${op} ${quoteValue(value)}`;
  const q = query.trim();
  if (q === "") return cond;
  const w = /(^|\s)where\s*\(/i.exec(q);
  if (w) {
    const open = w.index + w[0].length - 1;
    const close = closingParen(q, open);
    if (close > 0) {
      const inner = q.slice(open + 1, close).trim();
      return `${q.slice(0, open + 1)}${and(inner, cond)}${q.slice(close)}`;
    }
  }
  // A leading where-expression ends at the first clause outside parentheses.
  const clause = /(^|\s)(groupby|calculate|timeslice|sort|limit)\s*\(/i.exec(q);
  if (clause) {
    const head = q.slice(0, clause.index).trim();
    return `${and(head, cond)} ${q.slice(clause.index).trim()}`;
  }
  return and(q, cond);
}

