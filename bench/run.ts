// The walking-skeleton benchmark: how fast logharbor moves a journal compared with the limits
// measured in the same run on the same journal (reading it with journalctl, as export and as JSON;
// bare SQLite inserts).
//   node dist/bench/run.js [--entries 200000] [--seed 1] [--only a,b,c,d,e] [--name NAME] [--timeout-s N]
// Steps: a journalctl -o export, b journalctl -o json, c1/c2 ship → ack-only receiver via journalctl /
// gatewayd (c1z: gzip forced; c1t: with filter + multiline + redact), c3 ship via the files source,
// f the files source alone (beside a), g gatewayd alone (c2's ceiling), d ship → logharbor serve (dz: gzip forced), e1/e2 SQLite FTS5 inserts. --only takes ids or prefixes (c = c1,c2,c1z).
// Prints a table with the ratios c/b and d/b, writes .bench/results-NAME.json; exit 1 if a step failed.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDataset } from "./lib/dataset.js";
import { benchDir } from "./lib/paths.js";
import { formatTable, ratios } from "./lib/report.js";
import { STEPS, type StepResult } from "./lib/steps.js";

interface Args {
  entries: number;
  seed: number;
  only: string[] | undefined;
  name: string;
  timeoutS: number | undefined;
}

const USAGE = "usage: node dist/bench/run.js [--entries N] [--seed N] [--only a,b,c1,c2,c3,f,g,c1z,c1t,d,dz,e1,e2] [--name NAME] [--timeout-s N]";

function usage(problem: string): never {
  process.stderr.write(`bench: ${problem}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const now = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const a: Args = { entries: 200_000, seed: 1, only: undefined, name: now, timeoutS: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === "--help" || flag === "-h") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    }
    const value = argv[++i];
    if (value === undefined) usage(`${flag}: a value is required`);
    const int = (min: number): number => {
      if (!/^\d+$/.test(value) || Number(value) < min) usage(`${flag}: expected an integer >= ${min}, got "${value}"`);
      return Number(value);
    };
    switch (flag) {
      case "--entries": a.entries = int(1); break;
      case "--seed": a.seed = int(0); break;
      case "--timeout-s": a.timeoutS = int(1); break;
      case "--name":
        if (!/^[\w.-]+$/.test(value)) usage(`--name: expected letters, digits, ".", "-" or "_", got "${value}"`);
        a.name = value;
        break;
      case "--only": {
        a.only = value.split(",").map((s) => s.trim()).filter(Boolean);
        const unknown = a.only.filter((o) => !STEPS.some((s) => s.id.startsWith(o)));
        if (unknown.length > 0 || a.only.length === 0) usage(`--only: unknown step ${unknown.join(", ") || "(none)"}; steps are ${STEPS.map((s) => s.id).join(", ")}`);
        break;
      }
      default: usage(`unknown option ${flag}`);
    }
  }
  return a;
}

function journalctlVersion(): string {
  const r = spawnSync("journalctl", ["--version"], { encoding: "utf8" });
  return r.stdout?.split("\n")[0] ?? "unknown";
}

const args = parseArgs(process.argv.slice(2));
const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
// A step may take a while on a slow machine; the limit grows with the journal.
const timeoutMs = (args.timeoutS ?? Math.max(120, Math.ceil(args.entries / 1000) * 3)) * 1000;
const steps = STEPS.filter((s) => args.only === undefined || args.only.some((o) => s.id.startsWith(o)));

mkdirSync(benchDir, { recursive: true });
const ds = await ensureDataset(args.entries, args.seed, log);
const results: StepResult[] = [];
for (const step of steps) {
  log(`${step.id}: ${step.label} ...`);
  try {
    const r = await step.run({ ds, timeoutMs, log });
    results.push({ id: step.id, label: step.label, ok: true, ...r });
    log(`${step.id}: ${r.entriesPerSec} entries/s in ${r.seconds?.toFixed(2)} s`);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    results.push({ id: step.id, label: step.label, ok: false, error, peakRssMb: {}, peakAnonMb: {} });
    log(`${step.id}: FAILED: ${error}`);
  }
}

const ratioList = ratios(results);
process.stdout.write(formatTable(ds, results, ratioList));
const out = join(benchDir, `results-${args.name}.json`);
writeFileSync(
  out,
  JSON.stringify(
    {
      name: args.name,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", node: process.version, journalctl: journalctlVersion() },
      dataset: ds,
      timeoutMs,
      steps: results,
      ratios: ratioList,
    },
    null,
    2,
  ) + "\n",
);
process.stdout.write(`results: ${out}\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
