// redact: replaces secrets in chosen fields (MESSAGE by default) before anything leaves the host.
// An entry with nothing to replace is forwarded as the same bytes; a redacted one is re-encoded
// (edit.ts). Replacements are counted per pattern (logharbor_ship_redactions_total{pattern}).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_MESSAGE } from "../../../core/journal/fields.js";
import { editEntry } from "../edit.js";
import { FieldLookup } from "../fields.js";
import type { Transform } from "../transform.js";
import { BUILTIN_PATTERNS, customPattern, DEFAULT_PATTERNS, type BuiltinPatternName, type SecretPattern } from "./patterns.js";

export interface RedactSpec {
  /** Built-in patterns to apply (default: all but email). */
  patterns?: BuiltinPatternName[];
  /** Extra regular expressions, each with a name for its counter. */
  custom?: { name: string; pattern: string }[];
  /** Fields to scan (default MESSAGE). */
  fields?: string[];
  /** What a secret becomes; "{name}" is replaced by the pattern's name. */
  replacement?: string;
}

export const DEFAULT_REPLACEMENT = "[REDACTED:{name}]";

export class RedactTransform implements Transform {
  readonly name: string;
  readonly held = 0;
  /** Entries that had at least one replacement. */
  redactedEntries = 0;
  /** Replacements per pattern name. */
  readonly replacements = new Map<string, number>();
  private readonly patterns: { p: SecretPattern; replacement: string }[];
  private readonly fields: string[];
  private readonly lookup: FieldLookup;
  private readonly asciiOnly: boolean;

  constructor(spec: RedactSpec = {}, name = "redact") {
    this.name = name;
    const tmpl = spec.replacement ?? DEFAULT_REPLACEMENT;
    const ps: SecretPattern[] = [...(spec.patterns ?? DEFAULT_PATTERNS).map((n) => BUILTIN_PATTERNS[n])];
    for (const c of spec.custom ?? []) ps.push(customPattern(c.name, c.pattern));
    this.patterns = ps.map((p) => ({ p, replacement: tmpl.replaceAll("{name}", p.name) }));
    this.fields = spec.fields ?? [FIELD_MESSAGE];
    this.lookup = new FieldLookup(this.fields);
    for (const p of ps) this.replacements.set(p.name, 0);
    // Only built-in patterns (ASCII, each with a cheap trigger): the Latin-1 reading is enough.
    this.asciiOnly = (spec.custom ?? []).length === 0;
  }

  /** A text with every secret replaced, or undefined when there was none. */
  redactText(text: string): string | undefined {
    let s = text;
    let changed = false;
    for (const { p, replacement } of this.patterns) {
      if (p.trigger !== undefined && !p.trigger.test(s)) continue;
      p.re.lastIndex = 0;
      if (!p.re.test(s)) continue;
      let n = 0;
      const next = s.replace(p.re, (m: string, ...rest: unknown[]) => {
        const groups = rest.slice(0, -2).filter((g) => typeof g === "string" || g === undefined) as string[];
        const r = p.replace(m, groups, replacement);
        if (r === undefined) return m;
        n++;
        return r;
      });
      if (n > 0) {
        this.replacements.set(p.name, this.replacements.get(p.name)! + n);
        s = next;
        changed = true;
      }
    }
    return changed ? s : undefined;
  }

  process(entry: ExportEntry, out: ExportEntry[]): void {
    const f = this.lookup.scan(entry);
    let edits: Map<string, string | Buffer> | undefined;
    for (let k = 0; k < this.fields.length; k++) {
      if (!f.has(k)) continue;
      let r: string | undefined;
      if (this.asciiOnly) {
        // Built-in patterns are ASCII: matched on the Latin-1 reading, which gives every byte back as it was.
        r = this.redactText(f.latin1(k)!);
        if (r !== undefined) (edits ??= new Map()).set(this.fields[k]!, Buffer.from(r, "latin1"));
      } else {
        const b = entry.getBytes(this.fields[k]!)!;
        const utf8 = b.toString("utf8");
        // Text as UTF-8; bytes that are not are matched as Latin-1, which gives them back unchanged.
        const latin1 = utf8.includes("\uFFFD") && !Buffer.from(utf8, "utf8").equals(b);
        r = this.redactText(latin1 ? b.toString("latin1") : utf8);
        if (r !== undefined) (edits ??= new Map()).set(this.fields[k]!, latin1 ? Buffer.from(r, "latin1") : r);
      }
    }
    if (edits === undefined) {
      out.push(entry);
      return;
    }
    this.redactedEntries++;
    out.push(editEntry(entry, edits));
  }

  flush(): void {}

  counters(): Record<string, number> {
    return { redacted_entries: this.redactedEntries, ...Object.fromEntries(this.replacements) };
  }
}
