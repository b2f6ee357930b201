// The bench's steps. Each reads the same journal and reports entries/s and the peak RSS of every
// process involved; a step that fails reports why, and the others still run.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Dataset } from "./dataset.js";
import { benchScript, cliArgv, requireCli } from "./paths.js";
import { failureOf, runMeasured, type Measured, type PeakByName, type Peaks } from "./proc.js";
import { requestJson, startGatewayd, startReceiver, startServe, type Server } from "./servers.js";

export interface StepContext {
  ds: Dataset;
  timeoutMs: number;
  log: (s: string) => void;
}

export interface StepResult {
  id: string;
  label: string;
  ok: boolean;
  error?: string;
  entries?: number;
  seconds?: number;
  entriesPerSec?: number;
  /** Peak RSS in MiB, by process role (VmHWM: includes mapped journal files for their readers). */
  peakRssMb: Record<string, number>;
  /** Peak anonymous RSS in MiB (the process's own memory: heap, buffers), sampled, by process role. */
  peakAnonMb: Record<string, number>;
  notes?: Record<string, unknown>;
}

export interface Step {
  id: string;
  label: string;
  run(ctx: StepContext): Promise<Omit<StepResult, "id" | "label" | "ok">>;
}

const mb = (kb: number): number => Math.round((kb / 1024) * 10) / 10;

function rates(entries: number, seconds: number): Pick<StepResult, "entries" | "seconds" | "entriesPerSec"> {
  return { entries, seconds, entriesPerSec: Math.round(entries / seconds) };
}

function ensureOk(label: string, m: Measured): void {
  const f = failureOf(label, m);
  if (f) throw new Error(f);
}

/** Names a sampled process set by role: node → the given main role, systemd-journal → gatewayd, ... */
function roles(peaks: PeakByName, rename: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, kb] of Object.entries(peaks)) out[rename[name] ?? name] = Math.max(out[rename[name] ?? name] ?? 0, mb(kb));
  return out;
}

/** Memory of a measured command (main process named `role`) and of servers, by role. */
function memory(m: Measured, role: string, servers: Array<[Peaks | undefined, Record<string, string>]> = []): Pick<StepResult, "peakRssMb" | "peakAnonMb"> {
  const mainName = Object.keys(m.anonKb).find((n) => !(n in m.children)) ?? "node";
  const peakRssMb: Record<string, number> = { [role]: mb(m.peakKb), ...roles(m.children, {}) };
  const peakAnonMb: Record<string, number> = roles(m.anonKb, { [mainName]: role });
  for (const [p, rename] of servers) {
    if (!p) continue;
    Object.assign(peakRssMb, roles(p.hwm, rename));
    Object.assign(peakAnonMb, roles(p.anon, rename));
  }
  return { peakRssMb, peakAnonMb };
}

function journalctlStep(id: string, output: "export" | "json", label: string): Step {
  return {
    id,
    label,
    async run({ ds, timeoutMs }) {
      const m = await runMeasured(["journalctl", "--no-pager", "--directory", ds.dir, "-o", output], { stdout: "null", timeoutMs });
      ensureOk(`journalctl -o ${output}`, m);
      return { ...rates(ds.entries, m.seconds), ...memory(m, "journalctl") };
    },
  };
}

function withTemp<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** The transforms of step c1t, as issue 8's benchmark asks: filter + multiline + redact (bench/transforms.ts's chain). */
const TRANSFORMS_YAML = `transforms:
  - filter:
      units: { exclude: ["systemd-*"] }
      priority: debug
  - multiline: { timeout_ms: 1000 }
  - redact: {}
`;

/** How a step runs ship beyond its defaults: gzip forced (loopback is uncompressed by default), transforms from a --config file. */
interface ShipVariant {
  compression?: "gzip";
  transforms?: boolean;
}

/** logharbor ship of the whole journal to url; the contract of `ship` the bench relies on. */
async function ship(
  ctx: StepContext, source: "journalctl" | "files" | { gatewaydSocket: string }, baseUrl: string, token: string, stateDir: string,
  variant: ShipVariant = {},
): Promise<Measured> {
  const { compression } = variant;
  // Loopback destinations are sent uncompressed by default (?compression=auto); the "z" steps force gzip.
  const url = compression === undefined ? baseUrl : `${baseUrl}?compression=${compression}`;
  requireCli();
  const journal =
    source === "journalctl" ? ["--journal", "journalctl", "--journal-dir", ctx.ds.dir] : source === "files" ? ["--journal", `files:${ctx.ds.dir}`] : ["--journal", `gatewayd:${source.gatewaydSocket}`];
  let config: string[] = [];
  if (variant.transforms) {
    const file = join(dirname(stateDir), "ship.yaml");
    writeFileSync(file, TRANSFORMS_YAML);
    config = ["--config", file];
  }
  const argv = [...cliArgv(), "ship", ...config, ...journal, "--to", url, "--token", token, "--state", stateDir, "--start-at", "oldest", "--exit-when-idle"];
  const m = await runMeasured(argv, { stdout: "pipe", timeoutMs: ctx.timeoutMs });
  ensureOk("logharbor ship", m);
  return m;
}

async function stopAll(servers: Array<Server | undefined>): Promise<Array<Peaks | undefined>> {
  const out: Array<Peaks | undefined> = [];
  for (const s of servers) out.push(s ? await s.stop() : undefined);
  return out;
}

function shipToReceiver(id: string, via: "journalctl" | "gatewayd" | "files", label: string, variant: ShipVariant = {}): Step {
  return {
    id,
    label,
    async run(ctx) {
      return withTemp("logharbor-bench-ship-", async (tmp) => {
        let receiver: (Server & { url: string }) | undefined;
        let gatewayd: Server | undefined;
        try {
          receiver = await startReceiver();
          const socket = join(tmp, "gatewayd.sock");
          if (via === "gatewayd") gatewayd = await startGatewayd(ctx.ds.dir, socket);
          const m = await ship(ctx, via === "gatewayd" ? { gatewaydSocket: socket } : via, receiver.url, "bench-token", join(tmp, "state"), variant);
          const stats = await requestJson<{ entries: number; distinct: number; requests: number; bytes: number }>("GET", `${receiver.url}/stats`);
          const [recvPeaks, gwPeaks] = await stopAll([receiver, gatewayd]);
          receiver = gatewayd = undefined;
          if (variant.transforms) {
            // Filtered and joined: fewer entries arrive; every one read must have been (ship's "stopped" log line).
            const read = /"read":(\d+)/.exec(m.stderr)?.[1];
            if (stats.distinct === 0 || stats.distinct > ctx.ds.entries) throw new Error(`the receiver got ${stats.distinct} distinct entries`);
            if (Number(read) !== ctx.ds.entries) throw new Error(`ship read ${read ?? "an unknown number of"} entries, expected ${ctx.ds.entries}`);
          } else if (stats.distinct !== ctx.ds.entries) {
            throw new Error(`the receiver got ${stats.distinct} distinct entries (${stats.entries} in all), expected ${ctx.ds.entries}`);
          }
          return {
            ...rates(ctx.ds.entries, m.seconds),
            ...memory(m, "ship", [
              [recvPeaks, { node: "receiver" }],
              [gwPeaks, { "systemd-journal": "gatewayd", "systemd-socket-": "gatewayd" }],
            ]),
            notes: { requests: stats.requests, receivedEntries: stats.entries, uncompressedBytes: stats.bytes, shipSummary: m.stdout.trim().split("\n").pop() },
          };
        } finally {
          await stopAll([receiver, gatewayd]);
        }
      });
    },
  };
}

function endToEnd(id: string, label: string, variant: ShipVariant = {}): Step {
  return {
    id,
    label,
    async run(ctx) {
      return withTemp("logharbor-bench-serve-", async (tmp) => {
        let serve: (Server & { url: string }) | undefined;
        try {
          requireCli();
          serve = await startServe(join(tmp, "data"));
          const created = await requestJson<{ log?: { token?: string } }>("POST", `${serve.url}/api/v1/logs`, { name: "bench" });
          const token = created.log?.token;
          if (typeof token !== "string") throw new Error(`POST /api/v1/logs: expected {"log":{"token":...}}, got ${JSON.stringify(created).slice(0, 300)}`);
          const m = await ship(ctx, "journalctl", serve.url, token, join(tmp, "state"), variant);
          // Acknowledged means stored; allow a moment in case the count is updated after the answer.
          let stored = -1;
          for (let i = 0; i < 50; i++) {
            const list = await requestJson<{ logs?: Array<{ name?: string; events?: number }> }>("GET", `${serve.url}/api/v1/logs`);
            stored = list.logs?.find((l) => l.name === "bench")?.events ?? -1;
            if (stored >= ctx.ds.entries) break;
            await new Promise((r) => setTimeout(r, 200));
          }
          const [servePeaks] = await stopAll([serve]);
          serve = undefined;
          if (stored !== ctx.ds.entries) throw new Error(`the server stored ${stored} events in the log "bench", expected ${ctx.ds.entries}`);
          return {
            ...rates(ctx.ds.entries, m.seconds),
            ...memory(m, "ship", [[servePeaks, { node: "serve" }]]),
            notes: { stored, shipSummary: m.stdout.trim().split("\n").pop() },
          };
        } finally {
          await stopAll([serve]);
        }
      });
    },
  };
}

/** The files source alone: the journal files read and built into export entries, then dropped (beside a). */
const filesAlone: Step = {
  id: "f",
  label: "files source alone (the journal files read directly) → dropped",
  async run(ctx) {
    const m = await runMeasured(benchScript("files-read").concat(ctx.ds.dir), { stdout: "pipe", timeoutMs: ctx.timeoutMs });
    ensureOk("files-read", m);
    const r = JSON.parse(m.stdout.trim().split("\n").pop()!) as { entries: number; bytes: number; seconds: number };
    if (r.entries !== ctx.ds.entries) throw new Error(`files-read read ${r.entries} entries, expected ${ctx.ds.entries}`);
    // The whole process's time, as for journalctl in step a (start-up included).
    return { ...rates(ctx.ds.entries, m.seconds), ...memory(m, "reader"), notes: { bytes: r.bytes, readSeconds: r.seconds } };
  },
};

/** gatewayd alone: how fast it serves the journal to a reader that only counts bytes (c2's ceiling). */
const gatewaydAlone: Step = {
  id: "g",
  label: "gatewayd alone → a reader that drops the bytes (c2's ceiling)",
  async run(ctx) {
    return withTemp("logharbor-bench-gw-", async (tmp) => {
      const socket = join(tmp, "gatewayd.sock");
      let gatewayd: Server | undefined = await startGatewayd(ctx.ds.dir, socket);
      try {
        const m = await runMeasured(benchScript("gatewayd-read").concat(socket), { stdout: "pipe", timeoutMs: ctx.timeoutMs });
        ensureOk("gatewayd-read", m);
        const r = JSON.parse(m.stdout.trim().split("\n").pop()!) as { bytes: number; seconds: number };
        const [gwPeaks] = await stopAll([gatewayd]);
        gatewayd = undefined;
        return {
          ...rates(ctx.ds.entries, r.seconds),
          ...memory(m, "reader", [[gwPeaks, { "systemd-journal": "gatewayd", "systemd-socket-": "gatewayd" }]]),
          notes: { bytes: r.bytes },
        };
      } finally {
        await stopAll([gatewayd]);
      }
    });
  },
};

function sqliteStep(id: string, variant: "fts" | "row", label: string): Step {
  return {
    id,
    label,
    async run({ ds, timeoutMs }) {
      const argv = [...benchScript("sqlite-fts"), "--entries", String(ds.entries), "--seed", String(ds.seed), "--end-us", String(ds.endUs), "--span-us", String(ds.spanUs), "--hosts", String(ds.hosts), "--variant", variant];
      const m = await runMeasured(argv, { stdout: "pipe", timeoutMs });
      ensureOk(`sqlite-fts --variant ${variant}`, m);
      const r = JSON.parse(m.stdout.trim().split("\n").pop()!) as { entries: number; seconds: number; txRows: number; bytes: number };
      if (r.entries !== ds.entries) throw new Error(`sqlite-fts inserted ${r.entries} rows, expected ${ds.entries}`);
      return {
        ...rates(r.entries, r.seconds),
        ...memory(m, "sqlite"),
        notes: { rowsPerTransaction: r.txRows, databaseBytes: r.bytes, memory: "includes the pre-generated rows" },
      };
    },
  };
}

export const STEPS: readonly Step[] = [
  journalctlStep("a", "export", "journalctl -o export > /dev/null (read limit)"),
  journalctlStep("b", "json", "journalctl -o json > /dev/null (JSON agents' ceiling)"),
  shipToReceiver("c1", "journalctl", "ship via journalctl → ack-only receiver"),
  shipToReceiver("c2", "gatewayd", "ship via gatewayd (unix socket) → ack-only receiver"),
  shipToReceiver("c3", "files", "ship via files (journal files read directly) → ack-only receiver"),
  filesAlone,
  gatewaydAlone,
  shipToReceiver("c1z", "journalctl", "c1 with gzip forced (?compression=gzip, as to a remote server)", { compression: "gzip" }),
  shipToReceiver("c1t", "journalctl", "c1 with filter + multiline + redact (--config, issue 8)", { transforms: true }),
  endToEnd("d", "ship (journalctl) → logharbor serve → SQLite"),
  endToEnd("dz", "d with gzip forced (?compression=gzip, as to a remote server)", { compression: "gzip" }),
  sqliteStep("e1", "fts", "better-sqlite3 FTS5 insert, messages only (storage limit)"),
  sqliteStep("e2", "row", "better-sqlite3 row + indexes + FTS5 insert (store-shaped)"),
];
