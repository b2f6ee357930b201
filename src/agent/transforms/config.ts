// The `transforms:` section of a configuration document: an ordered list, each item one verb and
// its settings. One zod schema per verb gives the types, validation and defaults; every problem is
// reported at once with its path ("transforms[1].redact.patterns[0]: ..."), unknown keys with the
// nearest valid name.
//   transforms:
//     - filter: { units: { exclude: ["systemd-*"] }, priority: info }
//     - redact: { patterns: [credit_card, aws_key, bearer_token, url_password, email] }
//     - multiline: { timeout_ms: 1000 }
//     - throttle: { key: unit, rate_per_s: 100, burst: 500 }
//     - enrich: { labels: { CLUSTER: prod-eu } }
//     - route: [{ sink: 1, filter: { priority: err } }]   # last: which destinations get which entries
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { isValidFieldName } from "../../core/journal/fields.js";
import { nearestName } from "../../server/query/suggest.js";
import { parsePriority } from "./filter/priority.js";
import { BUILTIN_PATTERN_NAMES } from "./redact/patterns.js";

const regex = (what: string) =>
  z.string().check((ctx) => {
    try {
      new RegExp(ctx.value, "u");
    } catch (e) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: `expected a regular expression (${what}), got ${JSON.stringify(ctx.value)}: ${(e as Error).message}` });
    }
  });
const fieldName = z.string().refine(isValidFieldName, { message: "expected a journal field name (A-Z, 0-9 and _, not starting with a digit)" });
const priority = z.string().check((ctx) => {
  const r = parsePriority(ctx.value);
  if (typeof r === "string") ctx.issues.push({ code: "custom", input: ctx.value, message: r });
});
const posInt = (max: number) => z.number().int().min(1).max(max);

export const filterSchema = z.strictObject({
  units: z.strictObject({ include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() }).optional(),
  priority: priority.optional(),
  matches: z.array(z.record(fieldName, z.string())).optional(),
  message: regex("MESSAGE must match it").optional(),
  message_exclude: regex("MESSAGE must not match it").optional(),
});

export const redactSchema = z.strictObject({
  patterns: z.array(z.enum(BUILTIN_PATTERN_NAMES)).optional(),
  custom: z.array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a snake_case name"), pattern: regex("a secret to replace") })).optional(),
  fields: z.array(fieldName).min(1).optional(),
  replacement: z.string().optional(),
});

export const multilineSchema = z.strictObject({
  timeout_ms: posInt(60_000).optional(),
  max_lines: posInt(100_000).optional(),
  max_bytes: z.number().int().min(1024).max(128 * 1024 * 1024).optional(),
  stack_traces: z.boolean().optional(),
});

export const throttleSchema = z.strictObject({
  key: z.union([z.enum(["unit", "container", "host"]), fieldName]).optional(),
  rate_per_s: z.number().positive().max(1e9),
  burst: posInt(1e9).optional(),
});

export const enrichSchema = z.strictObject({
  containers: z.boolean().optional(),
  labels: z.record(fieldName, z.string()).optional(),
});

// A destination by its position among the --to URLs (0 = the first) or by the URL as given.
const sinkRef = z.union([z.number(), z.string()]).check((ctx) => {
  const v = ctx.value;
  if (typeof v === "number" ? !Number.isInteger(v) || v < 0 || v > 1000 : v.length === 0) {
    ctx.issues.push({ code: "custom", input: v, message: `expected a destination's position (0, 1, ...) or its URL as given with --to, got ${JSON.stringify(v)}` });
  }
});
export const routeSchema = z.array(z.strictObject({ sink: sinkRef, filter: filterSchema.optional() })).min(1);

export const TRANSFORM_SCHEMAS = {
  filter: filterSchema,
  redact: redactSchema,
  multiline: multilineSchema,
  throttle: throttleSchema,
  enrich: enrichSchema,
  route: routeSchema,
} as const;

export type TransformVerb = keyof typeof TRANSFORM_SCHEMAS;
export type TransformConfig = { [V in TransformVerb]: { verb: V; spec: z.infer<(typeof TRANSFORM_SCHEMAS)[V]> } }[TransformVerb];
const VERBS = Object.keys(TRANSFORM_SCHEMAS) as TransformVerb[];

function formatPath(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? String(p) : `.${String(p)}`;
  return s;
}

/** The keys a schema (at a path inside it) accepts, for "did you mean". */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const p of path) {
    if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(p)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return [];
  }
  if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return JSON.stringify(v);
}

/** Validates the `transforms:` value; `at` names it in problems ("ship.yaml: transforms"). */
export function parseTransforms(value: unknown, at: string): { transforms: TransformConfig[]; problems: string[] } {
  const problems: string[] = [];
  const transforms: TransformConfig[] = [];
  if (value === undefined || value === null) return { transforms, problems };
  if (!Array.isArray(value)) {
    return { transforms, problems: [`${at}: expected a list of transforms (- filter: {...}), got ${describe(value)}`] };
  }
  value.forEach((item, i) => {
    const here = `${at}[${i}]`;
    if (item === null || typeof item !== "object" || Array.isArray(item) || Object.keys(item).length !== 1) {
      problems.push(`${here}: expected a mapping with one key, the transform (${VERBS.join(", ")}), got ${item !== null && typeof item === "object" && !Array.isArray(item) ? `keys ${Object.keys(item).join(", ") || "(none)"}` : describe(item)}`);
      return;
    }
    const [verb, raw] = Object.entries(item as Record<string, unknown>)[0]!;
    if (!(VERBS as string[]).includes(verb)) {
      const near = nearestName(verb, VERBS);
      problems.push(`${here}: unknown transform ${JSON.stringify(verb)}; ${near ? `did you mean ${JSON.stringify(near)}?` : `expected one of ${VERBS.join(", ")}`}`);
      return;
    }
    const schema = TRANSFORM_SCHEMAS[verb as TransformVerb];
    const r = schema.safeParse(raw ?? {});
    if (!r.success) {
      for (const issue of r.error.issues) {
        const path = formatPath([verb, ...issue.path]);
        if (issue.code === "unrecognized_keys") {
          const valid = keysAt(schema, issue.path);
          for (const k of issue.keys) {
            const near = nearestName(k, valid);
            problems.push(`${here}.${path}: unknown key ${JSON.stringify(k)}; ${near ? `did you mean ${JSON.stringify(near)}?` : `expected one of ${valid.join(", ")}`}`);
          }
        } else if (issue.code === "invalid_key") {
          const why = issue.issues.map((x) => x.message).join("; ");
          problems.push(`${here}.${path}: ${why}, got ${JSON.stringify(issue.path[issue.path.length - 1])}`);
        } else if (issue.code === "invalid_value") {
          const got = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], raw);
          const options = issue.values.map(String);
          const near = typeof got === "string" ? nearestName(got, options) : undefined;
          problems.push(`${here}.${path}: expected one of ${options.join(", ")}, got ${JSON.stringify(got)}${near ? `; did you mean ${JSON.stringify(near)}?` : ""}`);
        } else {
          problems.push(`${here}.${path}: ${issue.message.replace(/^Invalid input: /, "").replace(/, received undefined$/, " (the key is required)")}`);
        }
      }
      return;
    }
    if (verb === "route" && i !== value.length - 1) {
      problems.push(`${here}.route: expected route as the last item (it hands the transformed entries to the destinations), got it at position ${i} of ${value.length}`);
      return;
    }
    transforms.push({ verb, spec: r.data } as TransformConfig);
  });
  return { transforms, problems };
}

/** Reads the `transforms:` section of a YAML/JSON document (other sections are not looked at here). */
export function parseTransformsDocument(text: string, source: string): { transforms: TransformConfig[]; problems: string[] } {
  let doc: unknown;
  try {
    doc = text.trim() === "" ? {} : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    return { transforms: [], problems: [`${source}: expected YAML or JSON, got a syntax error: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`] };
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return { transforms: [], problems: [`${source}: expected a mapping of settings, got ${describe(doc)}`] };
  return parseTransforms((doc as Record<string, unknown>)["transforms"], `${source}: transforms`);
}
