// Regex named groups: the executor runs each extractor over an event's message and keeps the
// groups' values as fields (the first extractor that sets a name wins).
import type { RegexExtractor } from "../plan.js";

export type Extract = (message: string) => Record<string, string> | undefined;

export function extractor(extractors: readonly RegexExtractor[]): Extract | undefined {
  if (extractors.length === 0) return undefined;
  const compiled = extractors.map((x) => ({ re: new RegExp(x.source, x.flags.replace(/[gy]/g, "")), fields: x.fields }));
  return (message) => {
    let out: Record<string, string> | undefined;
    for (const { re, fields } of compiled) {
      const m = re.exec(message);
      if (!m?.groups) continue;
      for (const f of fields) {
        const v = m.groups[f];
        if (v === undefined) continue;
        out ??= Object.create(null) as Record<string, string>;
        if (!(f in out)) out[f] = v;
      }
    }
    return out;
  };
}
