// Date-based index names: %Y %m %d %H in the template are the entry's UTC year, month, day and
// hour ("logs-%Y.%m.%d" → "logs-2026.11.27"); %% is a percent sign.

export const DEFAULT_INDEX_TEMPLATE = "logs-%Y.%m.%d";

/** A problem with a template (Elasticsearch index name rules), or undefined when it is fine. */
export function indexTemplateProblem(t: string): string | undefined {
  const sample = indexName(t, Date.UTC(2026, 0, 2, 3) * 1000);
  if (sample === "" || sample !== sample.toLowerCase() || /[\\/*?"<>| ,#:]/.test(sample) || /^[-_+.]/.test(sample) || /%[^YmdH%]/.test(t)) {
    return `expected an index name (lowercase, no \\ / * ? " < > | , # : or spaces, not starting with - _ + .) with optional %Y %m %d %H, got ${JSON.stringify(t)}`;
  }
  return undefined;
}

export function indexName(template: string, us: number): string {
  const d = new Date(Math.floor(us / 1000));
  const two = (n: number) => String(n).padStart(2, "0");
  return template.replace(/%([YmdH%])/g, (_, c: string) => {
    switch (c) {
      case "Y": return String(d.getUTCFullYear());
      case "m": return two(d.getUTCMonth() + 1);
      case "d": return two(d.getUTCDate());
      case "H": return two(d.getUTCHours());
      default: return "%";
    }
  });
}
