// Regex named groups: the executor runs each extractor over an event's message and keeps the
// groups' values as fields (the first extractor that sets a name wins).
import { compiledRegex } from "../../../core/regex-cache.js";
import type { RegexExtractor } from "../plan.js";

export type Extract = (message: string) => Record<string, string> | undefined;

export function extractor(extractors: readonly RegexExtractor[]): Extract | undefined {
  if (extractors.length === 0) return undefined;
  const compiled = extractors.map((x) => ({ re: compiledRegex(x.source, x.flags), fields: x.fields }));
  return (message) => {
    let out: Record<string, string> | undefined;
    for (const { re, fields } of compiled) {
      const groups = re.groups(message);
      if (!groups) continue;
      for (const f of fields) {
        const v = groups[f];
        if (v === undefined) continue;
        out ??= Object.create(null) as Record<string, string>;
        if (!(f in out)) out[f] = v;
      }
    }
    return out;
  };
}
