// A configuration document (YAML or JSON; the file of --config and the etcd keys) → the flag-shaped
// object `logharbor ship` resolves (ShipFlags), so a document and the command line mean the same
// thing and one resolution validates both. Keys are the flags' names in snake_case
// (batch_max_entries ↔ --batch-max-entries), taken from the one table of settings (settings.ts),
// plus `transforms`. Unknown keys are rejected with the nearest name.
import { parse as parseYaml } from "yaml";
import type { ShipFlags } from "../config.js";
import { DOCUMENT_SETTING_KEYS, describeKind, flagField, setting, SETTING_KEYS, type SettingKey, type SettingKind } from "../settings.js";

/** Every setting a document may hold, its flag field and its type (derived from settings.ts). */
export const DOCUMENT_KEYS: Readonly<Record<string, { flag: keyof ShipFlags; kind: SettingKind }>> = Object.fromEntries(
  DOCUMENT_SETTING_KEYS.map((k) => [k, { flag: flagField(k), kind: setting(k).kind }]),
);

/** Settings that name things on one host (paths): checked by each agent, not cluster-wide. */
export const HOST_LOCAL_KEYS: ReadonlySet<string> = new Set(SETTING_KEYS.filter((k: SettingKey) => setting(k).hostLocal === true));

export interface ParsedDocument {
  flags: Partial<ShipFlags>;
  problems: string[];
  /** True when the text is not a mapping at all (nothing of it can be used). */
  unusable: boolean;
}

/** Parses one document; `source` names it in problems ("etcd /logharbor/config", "ship.yaml"). */
export function parseDocument(text: string, source: string): ParsedDocument {
  const problems: string[] = [];
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    return { flags: {}, problems: [`${source}: expected YAML or JSON, got a syntax error: ${first}`], unusable: true };
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    return { flags: {}, problems: [`${source}: expected a mapping of settings (key: value), got ${Array.isArray(value) ? "a list" : typeof value}`], unusable: true };
  }
  const flags: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const spec = DOCUMENT_KEYS[key];
    if (spec === undefined) {
      const near = nearest(key, Object.keys(DOCUMENT_KEYS));
      problems.push(`${source}: unknown key ${JSON.stringify(key)}${near ? `; did you mean ${JSON.stringify(near)}?` : ""}`);
      continue;
    }
    const v = coerce(spec.kind, raw);
    if (v === undefined) {
      problems.push(`${source}: ${key}: expected ${describeKind(spec.kind)}, got ${JSON.stringify(raw)}`);
      continue;
    }
    flags[spec.flag] = v;
  }
  return { flags: flags as Partial<ShipFlags>, problems, unusable: false };
}

function coerce(kind: SettingKind, raw: unknown): unknown {
  switch (kind) {
    case "string":
      return typeof raw === "string" ? raw : undefined;
    case "strings":
      if (typeof raw === "string") return [raw];
      return Array.isArray(raw) && raw.length > 0 && raw.every((x) => typeof x === "string") ? [...raw] : undefined;
    case "boolean":
      return typeof raw === "boolean" ? raw : undefined;
    case "integer":
      // Flags arrive as strings; the resolution checks the range.
      if (typeof raw === "number" && Number.isSafeInteger(raw)) return String(raw);
      return typeof raw === "string" && /^\d+$/.test(raw.trim()) ? raw.trim() : undefined;
    case "transforms":
      // Validated item by item, with paths, by the resolution (transforms/config.ts).
      return raw;
  }
}

/** The closest key by edit distance, when it is close enough to be a likely typo. */
export function nearest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
