// The bench's journal: generated once per (entries, seed, generator version) into .bench/ and reused,
// since writing journal files takes far longer than reading them. Written into a temporary
// directory and renamed when complete, so an interrupted generation is never mistaken for a cache.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATOR_VERSION } from "../../src/demo/generator.js";
import { listJournalFiles, writeDemoJournal } from "../../src/demo/journal-files.js";
import { benchDir } from "./paths.js";

export interface Dataset {
  dir: string;
  entries: number;
  seed: number;
  hosts: number;
  endUs: number;
  spanUs: number;
  generatorVersion: number;
  /** Seconds the generation took (when it was made, cached or not). */
  generationSeconds: number;
  files: number;
  bytes: number;
  /** False when it came from the cache. */
  generated: boolean;
}

const SPAN_US = 24 * 3600e6;
const HOSTS = 3;

function dirSize(dir: string): number {
  let n = 0;
  for (const f of listJournalFiles(dir)) n += statSync(f).size;
  return n;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The cached journal of `entries` entries for `seed`, generated first when missing. */
export async function ensureDataset(entries: number, seed: number, log: (s: string) => void): Promise<Dataset> {
  const name = `journal-n${entries}-s${seed}-g${GENERATOR_VERSION}`;
  const dir = join(benchDir, name);
  const metaFile = join(dir, "meta.json");
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as Omit<Dataset, "dir" | "generated">;
    if (meta.entries === entries && meta.seed === seed && meta.generatorVersion === GENERATOR_VERSION && listJournalFiles(dir).length > 0) {
      log(`journal: ${entries} entries (seed ${seed}) from the cache ${dir}`);
      return { ...meta, dir, generated: false };
    }
  }
  mkdirSync(benchDir, { recursive: true });
  // Leftovers of interrupted generations.
  for (const d of readdirSync(benchDir)) {
    if (d.startsWith(`${name}.tmp-`) && !isAlive(Number(d.slice(name.length + 5)))) rmSync(join(benchDir, d), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  const tmp = join(benchDir, `${name}.tmp-${process.pid}`);
  const endUs = Date.now() * 1000;
  log(`journal: generating ${entries} entries (seed ${seed}, ${HOSTS} hosts) with systemd-journal-remote into ${dir} ...`);
  const r = await writeDemoJournal(tmp, {
    count: entries,
    seed,
    hosts: HOSTS,
    endUs,
    spanUs: SPAN_US,
    onProgress: (n) => {
      if (n % 200000 === 0) log(`journal: ${n} entries written`);
    },
  });
  const meta: Omit<Dataset, "dir" | "generated"> = {
    entries,
    seed,
    hosts: HOSTS,
    endUs,
    spanUs: SPAN_US,
    generatorVersion: GENERATOR_VERSION,
    generationSeconds: r.seconds,
    files: r.files.length,
    bytes: dirSize(tmp),
  };
  writeFileSync(join(tmp, "meta.json"), JSON.stringify(meta, null, 2) + "\n");
  renameSync(tmp, dir);
  log(`journal: ${entries} entries in ${r.seconds.toFixed(1)} s (${Math.round(entries / r.seconds)} entries/s), ${meta.files} files, ${(meta.bytes / 1e6).toFixed(0)} MB`);
  return { ...meta, dir, generated: true };
}
