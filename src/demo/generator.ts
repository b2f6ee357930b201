// A deterministic generator of realistic journal entries for a small cluster (demo data, tests,
// benchmarks). Same options and seed, same entries, byte for byte. Streaming: it holds the cluster
// model only, never the entries, so a million entries cost no memory.
//
// Each entry is an ExportField list as `journalctl -o export` would print it minus what the journal
// assigns on write (__CURSOR, __SEQNUM, __SEQNUM_ID): systemd-journal-remote adds those.
import type { ExportField } from "../core/journal/export-encoder.js";
import {
  FIELD_BOOT_ID, FIELD_COMM, FIELD_HOSTNAME, FIELD_MACHINE_ID, FIELD_MESSAGE, FIELD_MONOTONIC_TIMESTAMP, FIELD_PID,
  FIELD_PRIORITY, FIELD_REALTIME_TIMESTAMP, FIELD_SOURCE_REALTIME_TIMESTAMP, FIELD_SYSLOG_FACILITY,
  FIELD_SYSLOG_IDENTIFIER, FIELD_SYSTEMD_UNIT, FIELD_TRANSPORT,
} from "../core/journal/fields.js";
import { buildCluster, Clock, type Boot, type Host } from "./cluster.js";
import { appContainer, containerd, kubelet } from "./containers.js";
import { Prng, Weighted } from "./prng.js";
import { cron, kernel, nginxAccess, nginxError, postgres, sshd, systemd } from "./services.js";
import type { Emitter } from "./workload.js";

/** Bump when the output for the same options changes (caches of generated journals key on it). */
export const GENERATOR_VERSION = 1;

export const DEFAULT_HOSTS = 3;
export const DEFAULT_SEED = 1;
export const DEFAULT_SPAN_US = 24 * 3600 * 1e6;

export interface GenerateOptions {
  /** How many entries, in total over all hosts. */
  count: number;
  /** How many hosts (node-1 .. node-N); default 3. */
  hosts?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** The window's end, microseconds since the epoch; default now. Pass it for reproducible output. */
  endUs?: number;
  /** The window's length in microseconds; default 24 h. Entries spread over [endUs - spanUs, endUs). */
  spanUs?: number;
}

/** Relative volume of each source: web traffic and apps dominate, as on a real node. */
const SOURCES = new Weighted<Emitter>([
  [nginxAccess, 30],
  [nginxError, 1.2],
  [appContainer, 30],
  [kubelet, 9],
  [postgres, 7],
  [systemd, 5],
  [containerd, 4],
  [sshd, 4],
  [kernel, 3],
  [cron, 3],
]);

function checkOptions(o: GenerateOptions): Required<GenerateOptions> {
  const r = {
    count: o.count,
    hosts: o.hosts ?? DEFAULT_HOSTS,
    seed: o.seed ?? DEFAULT_SEED,
    endUs: o.endUs ?? Date.now() * 1000,
    spanUs: o.spanUs ?? DEFAULT_SPAN_US,
  };
  const problems: string[] = [];
  if (!Number.isSafeInteger(r.count) || r.count < 0) problems.push(`count: must be an integer >= 0, got ${o.count}`);
  if (!Number.isSafeInteger(r.hosts) || r.hosts < 1 || r.hosts > 1000) problems.push(`hosts: must be an integer from 1 to 1000, got ${o.hosts}`);
  if (!Number.isSafeInteger(r.seed)) problems.push(`seed: must be an integer, got ${o.seed}`);
  if (!Number.isSafeInteger(r.endUs) || r.endUs <= 0) problems.push(`endUs: must be a positive integer (microseconds since the epoch), got ${o.endUs}`);
  if (!Number.isSafeInteger(r.spanUs) || r.spanUs < 1 || r.spanUs >= r.endUs) problems.push(`spanUs: must be a positive integer below endUs, got ${o.spanUs}`);
  if (problems.length > 0) throw new RangeError(`generateEntries: ${problems.join("; ")}`);
  return r;
}

/** The hosts a generation with these options writes, in order (node-1 .. node-N). */
export function demoHostNames(hosts = DEFAULT_HOSTS): string[] {
  return Array.from({ length: hosts }, (_, i) => `node-${i + 1}`);
}

/** Entries in time order, interleaved across hosts. */
export function* generateEntries(opts: GenerateOptions): Generator<ExportField[], void, undefined> {
  const o = checkOptions(opts);
  const startUs = o.endUs - o.spanUs;
  const cluster = buildCluster(o.seed, o.hosts, startUs, o.spanUs);
  const rng = new Prng(o.seed, "entries");
  const slot = o.spanUs / Math.max(1, o.count);
  let prevUs = startUs;
  for (let i = 0; i < o.count; i++) {
    let us = startUs + Math.floor((i + rng.float()) * slot);
    if (us < prevUs) us = prevUs;
    if (us >= o.endUs) us = o.endUs - 1;
    prevUs = us;
    const host = cluster[rng.int(cluster.length)]!;
    yield entry(rng, host, bootAt(host, us), us);
  }
}

function bootAt(host: Host, us: number): Boot {
  let b = host.boots[0]!;
  for (const x of host.boots) if (x.startUs <= us) b = x;
  return b;
}

function entry(rng: Prng, host: Host, boot: Boot, us: number): ExportField[] {
  const e = SOURCES.draw(rng)({ rng, host, boot, clock: new Clock(us) });
  const monotonic = us - boot.startUs;
  const p = e.proc;
  const f: ExportField[] = [
    [FIELD_REALTIME_TIMESTAMP, String(us)],
    [FIELD_MONOTONIC_TIMESTAMP, String(monotonic)],
    [FIELD_BOOT_ID, boot.bootId],
    [FIELD_MACHINE_ID, host.machineId],
    [FIELD_HOSTNAME, host.name],
    [FIELD_TRANSPORT, p.transport],
    [FIELD_PRIORITY, String(e.priority)],
    [FIELD_SYSLOG_FACILITY, String(p.facility)],
    [FIELD_SYSLOG_IDENTIFIER, p.ident],
  ];
  if (e.extra) f.push(...e.extra);
  f.push([FIELD_MESSAGE, e.message]);
  if (p.transport === "kernel") {
    f.push(["_SOURCE_MONOTONIC_TIMESTAMP", String(Math.max(0, monotonic - rng.range(20, 400)))]);
    return f;
  }
  f.push([FIELD_PID, String(e.pid ?? 1)]);
  if (p.uid !== undefined) f.push(["_UID", String(p.uid)]);
  if (p.gid !== undefined) f.push(["_GID", String(p.gid)]);
  if (p.comm !== undefined) f.push([FIELD_COMM, p.comm]);
  if (p.exe !== undefined) f.push(["_EXE", p.exe]);
  if (p.unit !== undefined) f.push([FIELD_SYSTEMD_UNIT, p.unit]);
  f.push([FIELD_SOURCE_REALTIME_TIMESTAMP, String(us - rng.range(3, 900))]);
  return f;
}

/** The value of a field in a generated entry (the first, when repeated). */
export function fieldOf(fields: readonly ExportField[], name: string): string | undefined {
  for (const [n, v] of fields) if (n === name) return typeof v === "string" ? v : v.toString("utf8");
  return undefined;
}
