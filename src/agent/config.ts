// `logharbor ship` settings from its flags: every problem is collected (not just the first), so
// --check can report them all at once; the result is frozen before anything starts.
import { statSync, existsSync } from "node:fs";
import { isLogharborError } from "../core/errors.js";
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from "./batcher.js";
import { stateDirProblem } from "./checkpoint.js";
import { parseDestination, type Destination } from "./destination.js";
import { dropInFromEnv, DROPIN_FORMAT } from "./dropin.js";
import { describeSink, resolveSink, type SinkDestination, type SinkFlags } from "./sinks/resolve.js";
import { defaultJournalSpec, formatJournalSpec, parseJournalSpec, type JournalSpec } from "./journal-spec.js";
import type { WhenFull } from "./buffer/lane.js";
import { LOG_LEVELS } from "./logger.js";
import type { JournalSelection } from "./sources/journalctl/args.js";
import type { StartPosition } from "./sources/source.js";
import { formatStartPosition, parseStartAt } from "./start-at.js";
import { parseTransforms, type TransformConfig } from "./transforms/config.js";
import { routeProblems } from "./transforms/route/route.js";
import { flagName } from "./settings.js";
import { unbracketHost } from "../core/host.js";

export interface ShipFlags extends SinkFlags {
  journal?: string;
  journalDir?: string;
  journalFile?: string[];
  journalNamespace?: string;
  journalMerge?: boolean;
  to?: string[];
  token?: string;
  state?: string;
  startAt?: string;
  batchMaxEntries?: string;
  batchMaxBytes?: string;
  batchMaxMs?: string;
  maxInFlight?: string;
  exitWhenIdle?: boolean;
  logLevel?: string;
  bufferMaxBytes?: string;
  bufferWhenFull?: string;
  metrics?: string;
  /** The `transforms:` section of a configuration document (docs/transforms.md), validated here. */
  transforms?: unknown;
}

export interface ShipConfig {
  journal: JournalSpec;
  selection: JournalSelection;
  /** The first destination (the only one, mostly): destinations[0]. */
  destination: SinkDestination;
  /** Every --to destination, in order (one lane each: run.ts); never empty. */
  destinations: readonly SinkDestination[];
  stateDir: string;
  startAt: StartPosition;
  limits: BatchLimits;
  maxBatchMs: number;
  maxInFlight: number;
  exitWhenIdle: boolean;
  logLevel: string;
  /** The disk buffer of each sink (docs/buffer-format.md). */
  buffer: { maxBytes: number; whenFull: WhenFull };
  /** --metrics HOST:PORT: serve /metrics and /healthz there (off when undefined). */
  metrics: { host: string; port: number } | undefined;
  /** Applied in order to every entry before it is buffered (none when absent or empty). */
  transforms?: readonly TransformConfig[];
}

export const DEFAULT_MAX_BATCH_MS = 500;
export const DEFAULT_MAX_IN_FLIGHT = 3;
export const DEFAULT_BUFFER_MAX_BYTES = 256 * 1024 * 1024;

export function defaultStateDir(): string {
  return process.getuid?.() === 0 ? "/var/lib/logharbor" : "./state";
}

function intFlag(problems: string[], name: string, raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name}: must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return def;
  }
  return n;
}

/** Runs a parser that throws LogharborError; its message names `flag`, renamed to `label` when they differ. */
function attempt<T>(problems: string[], fn: () => T, label?: string, flag?: string): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (isLogharborError(e)) {
      problems.push(label !== undefined && flag !== undefined && label !== flag && e.message.startsWith(flag) ? label + e.message.slice(flag.length) : e.message);
      return undefined;
    }
    throw e;
  }
}

export interface ResolvedShip {
  config: ShipConfig | undefined;
  problems: string[];
  warnings: string[];
}

/**
 * Names a setting in problems, by where its value came from: "--batch-max-entries" for a flag (the
 * default), "ship.yaml: batch_max_entries" for a document (see merge.ts).
 */
export type SettingLabel = (field: keyof ShipFlags) => string;

export async function resolveShipConfig(f: ShipFlags, env: NodeJS.ProcessEnv = process.env, label: SettingLabel = flagName): Promise<ResolvedShip> {
  const problems: string[] = [];
  const warnings: string[] = [];

  const selection: JournalSelection = {};
  if (f.journalDir !== undefined) selection.directory = f.journalDir;
  if (f.journalFile?.length) selection.files = f.journalFile;
  if (f.journalNamespace !== undefined) selection.namespace = f.journalNamespace;
  if (f.journalMerge) selection.merge = true;
  const selected = Object.keys(selection).length > 0;

  // No --to: journal-2-logentries' environment (dropin.ts) says where to ship.
  if (f.to === undefined || f.to.length === 0) {
    const d = dropInFromEnv(env);
    if (typeof d === "string") problems.push(d);
    else f = { ...f, to: [d.to], journal: f.journal ?? (selected ? undefined : d.journal), logentriesFormat: f.logentriesFormat ?? DROPIN_FORMAT };
  }

  const journal = f.journal === undefined ? defaultJournalSpec({ preferJournalctl: selected }) : attempt(problems, () => parseJournalSpec(f.journal!), label("journal"), "--journal");
  if (journal?.kind === "files" && selected) {
    problems.push(`--journal-dir, --journal-file, --journal-namespace and --journal-merge apply only to --journal journalctl; got --journal ${formatJournalSpec(journal)} (name the directory as --journal files:DIR)`);
  }
  if (journal?.kind === "files" && journal.dir !== undefined && !isDir(journal.dir)) {
    problems.push(`${label("journal")}: expected an existing directory after files:, got ${JSON.stringify(journal.dir)} (not found or not a directory)`);
  }
  if (journal?.kind === "gatewayd" && selected) {
    problems.push(`--journal-dir, --journal-file, --journal-namespace and --journal-merge apply only to --journal journalctl; got --journal ${formatJournalSpec(journal)}`);
  }
  if (journal?.kind === "gatewayd" && "socketPath" in journal && !existsSync(journal.socketPath)) {
    warnings.push(`--journal ${formatJournalSpec(journal)}: the socket does not exist (yet); the agent keeps retrying`);
  }
  if (selection.directory !== undefined && !isDir(selection.directory)) problems.push(`${label("journalDir")}: expected a directory, got ${JSON.stringify(selection.directory)} (not found or not a directory)`);
  for (const file of selection.files ?? []) {
    if (!existsSync(file)) problems.push(`${label("journalFile")}: expected a journal file, got ${JSON.stringify(file)} (not found)`);
  }
  if (selection.directory !== undefined && selection.files?.length) problems.push("--journal-dir and --journal-file: give one or the other, not both");

  const token = f.token ?? env["LOGHARBOR_TOKEN"];
  const destinations = resolveDestinations(f.to ?? [], token === "" ? undefined : token, f, env, problems, label);

  const stateDir = f.state ?? (env["LOGHARBOR_STATE"] || defaultStateDir());
  const stateProblem = await stateDirProblem(stateDir);
  if (stateProblem !== undefined) problems.push(stateProblem);

  const startAt = attempt(problems, () => parseStartAt(f.startAt ?? "boot"), label("startAt"), "--start-at");
  const limits: BatchLimits = {
    maxEntries: intFlag(problems, label("batchMaxEntries"), f.batchMaxEntries, DEFAULT_BATCH_LIMITS.maxEntries, 1, 1_000_000),
    maxBytes: intFlag(problems, label("batchMaxBytes"), f.batchMaxBytes, DEFAULT_BATCH_LIMITS.maxBytes, 1024, 1024 * 1024 * 1024),
  };
  const maxBatchMs = intFlag(problems, label("batchMaxMs"), f.batchMaxMs, DEFAULT_MAX_BATCH_MS, 1, 3_600_000);
  const maxInFlight = intFlag(problems, label("maxInFlight"), f.maxInFlight, DEFAULT_MAX_IN_FLIGHT, 1, 16);
  const bufferMaxBytes = intFlag(problems, label("bufferMaxBytes"), f.bufferMaxBytes, DEFAULT_BUFFER_MAX_BYTES, 64 * 1024, 2 ** 50);
  const whenFull = (f.bufferWhenFull ?? "block") as WhenFull;
  if (whenFull !== "block" && whenFull !== "drop_newest") problems.push(`${label("bufferWhenFull")}: expected block or drop_newest, got ${JSON.stringify(f.bufferWhenFull)}`);
  const metrics = f.metrics === undefined ? undefined : parseHostPort(problems, label("metrics"), f.metrics);
  const logLevel = f.logLevel ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`${label("logLevel")}: expected one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(logLevel)}`);

  const shaping = parseTransforms(f.transforms, label("transforms"));
  problems.push(...shaping.problems);
  // A route naming no destination (or one twice) is refused here, not when ship starts.
  const route = shaping.transforms.find((t) => t.verb === "route");
  if (route !== undefined && route.verb === "route" && destinations !== undefined) {
    const p = routeProblems(destinations.map((d) => d.display), route.spec);
    if (p !== undefined) problems.push(p.startsWith("transforms:") ? label("transforms") + p.slice("transforms".length) : p);
  }

  if (problems.length > 0 || journal === undefined || destinations === undefined || startAt === undefined) {
    // The same problem found for several destinations (a bad --ca-file, ...) is told once.
    return { config: undefined, problems: [...new Set(problems)], warnings };
  }
  const config: ShipConfig = {
    journal,
    selection,
    destination: destinations[0]!,
    destinations: Object.freeze(destinations),
    stateDir,
    startAt,
    limits,
    maxBatchMs,
    maxInFlight,
    exitWhenIdle: f.exitWhenIdle ?? false,
    logLevel,
    buffer: { maxBytes: bufferMaxBytes, whenFull },
    metrics,
    ...(shaping.transforms.length > 0 ? { transforms: shaping.transforms } : {}),
  };
  return { config: Object.freeze(config), problems, warnings };
}

/**
 * Parses and resolves every --to value (each problem pushed, naming its destination); undefined
 * when any of them has a problem or there is none. One destination: today's rules, unchanged.
 * Several: a flag for some kinds only (--ca-file, --token-map, --logentries-format) is refused
 * only when no destination is of a kind it applies to, and is given to those it applies to.
 */
function resolveDestinations(tos: readonly string[], token: string | undefined, f: ShipFlags, env: NodeJS.ProcessEnv, problems: string[], label: SettingLabel): SinkDestination[] | undefined {
  if (tos.length === 0) return undefined;
  const before = problems.length;
  const parsed: Destination[] = [];
  const seen = new Map<string, number>();
  for (const [i, to] of tos.entries()) {
    const d = attempt(problems, () => parseDestination(to, token), label("to"), "--to");
    if (d === undefined) continue;
    parsed.push(d);
    const first = seen.get(d.display);
    if (first !== undefined) problems.push(`${label("to")}: ${JSON.stringify(d.display)} is given twice (destinations ${first} and ${i}); give each destination once (a route gives one destination several kinds of entries)`);
    else seen.set(d.display, i);
  }
  const resolved: SinkDestination[] = [];
  for (const d of parsed) {
    const r = resolveSink(d, tos.length === 1 ? f : flagsFor(d, parsed, f), env, problems);
    if (r !== undefined) resolved.push(r);
  }
  return problems.length > before || resolved.length !== tos.length ? undefined : resolved;
}

const KIND_FLAGS: readonly { field: "caFile" | "tokenMap" | "logentriesFormat"; applies: (d: Destination) => boolean }[] = [
  { field: "caFile", applies: (d) => d.kind === "harbor" || ("transport" in d && d.transport === "tls") || ("url" in d && d.url.protocol === "https:") },
  { field: "tokenMap", applies: (d) => d.kind === "logentries" },
  { field: "logentriesFormat", applies: (d) => d.kind === "logentries" },
];

/** The sink flags of one of several destinations: without those meant for the others' kinds. */
function flagsFor(d: Destination, all: readonly Destination[], f: ShipFlags): SinkFlags {
  const out: SinkFlags = { ...f };
  for (const k of KIND_FLAGS) {
    if (f[k.field] !== undefined && !k.applies(d) && all.some(k.applies)) delete out[k.field];
  }
  return out;
}

function parseHostPort(problems: string[], name: string, raw: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]*):(\d{1,5})$/.exec(raw.trim());
  if (m === null || Number(m[2]) > 65535) {
    problems.push(`${name}: expected HOST:PORT such as 127.0.0.1:9187 (port 0 picks a free one), got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return { host: unbracketHost(m[1] || "0.0.0.0"), port: Number(m[2]) };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The settings as --check prints them: the token masked. */
export function describeShipConfig(c: ShipConfig): Record<string, unknown> {
  return {
    journal: formatJournalSpec(c.journal),
    ...(Object.keys(c.selection).length ? { journal_selection: c.selection } : {}),
    // One destination: its settings at the top level, as always; several: `to` lists them and
    // `destinations` holds each one's settings, in --to order (lane 0, 1, ...).
    ...(c.destinations.length === 1 ? describeSink(c.destination) : { to: c.destinations.map((d) => d.display), destinations: c.destinations.map(describeSink) }),
    state: c.stateDir,
    start_at: formatStartPosition(c.startAt),
    batch_max_entries: c.limits.maxEntries,
    batch_max_bytes: c.limits.maxBytes,
    batch_max_ms: c.maxBatchMs,
    max_in_flight: c.maxInFlight,
    follow: !c.exitWhenIdle,
    buffer_max_bytes: c.buffer.maxBytes,
    buffer_when_full: c.buffer.whenFull,
    metrics: c.metrics === undefined ? null : `${c.metrics.host}:${c.metrics.port}`,
    log_level: c.logLevel,
    ...(c.transforms?.length ? { transforms: c.transforms.map((t) => ({ [t.verb]: t.spec })) } : {}),
  };
}

/** Not even a prefix: "set" is all a reader of the output learns. */
export function maskToken(_token: string): string {
  return "***";
}
