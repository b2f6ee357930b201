// `logharbor ship` settings from its flags: every problem is collected (not just the first), so
// --check can report them all at once; the result is frozen before anything starts.
import { statSync, existsSync } from "node:fs";
import { isLogharborError } from "../core/errors.js";
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from "./batcher.js";
import { stateDirProblem } from "./checkpoint.js";
import { parseDestination } from "./destination.js";
import { dropInFromEnv, DROPIN_FORMAT } from "./dropin.js";
import { describeSink, resolveSink, type SinkDestination, type SinkFlags } from "./sinks/resolve.js";
import { defaultJournalSpec, formatJournalSpec, parseJournalSpec, type JournalSpec } from "./journal-spec.js";
import type { WhenFull } from "./buffer/lane.js";
import { LOG_LEVELS } from "./logger.js";
import type { JournalSelection } from "./sources/journalctl/args.js";
import type { StartPosition } from "./sources/source.js";
import { formatStartPosition, parseStartAt } from "./start-at.js";
import { parseTransforms, type TransformConfig } from "./transforms/config.js";
import { flagName } from "./settings.js";

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
  destination: SinkDestination;
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
  const tos = f.to ?? [];
  let destination: ShipConfig["destination"] | undefined;
  if (tos.length > 1) problems.push(`--to: only one destination is supported yet, got ${tos.length}`);
  if (tos.length >= 1) {
    const d = attempt(problems, () => parseDestination(tos[0]!, token === "" ? undefined : token), label("to"), "--to");
    if (d !== undefined) destination = resolveSink(d, f, env, problems);
  }

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

  if (problems.length > 0 || journal === undefined || destination === undefined || startAt === undefined) {
    return { config: undefined, problems, warnings };
  }
  const config: ShipConfig = {
    journal,
    selection,
    destination,
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

function parseHostPort(problems: string[], name: string, raw: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]*):(\d{1,5})$/.exec(raw.trim());
  if (m === null || Number(m[2]) > 65535) {
    problems.push(`${name}: expected HOST:PORT such as 127.0.0.1:9187 (port 0 picks a free one), got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return { host: (m[1] || "0.0.0.0").replace(/^\[(.*)\]$/, "$1"), port: Number(m[2]) };
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
    ...describeSink(c.destination),
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
