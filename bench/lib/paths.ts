// Where things are: the repository root, our CLI, the bench's own helper scripts. The bench runs
// from dist/bench/*.js (npm run bench) or from its sources (node --import tsx bench/run.ts); child
// scripts and the CLI are started in the same form.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** True when running from TypeScript sources. */
export const fromSource = import.meta.url.endsWith(".ts");

function isRepoRoot(d: string): boolean {
  const p = join(d, "package.json");
  if (!existsSync(p)) return false;
  try {
    return (JSON.parse(readFileSync(p, "utf8")) as { name?: string }).name === "logharbor";
  } catch {
    return false;
  }
}

/** The logharbor repository root: the nearest directory above this file with logharbor's package.json. */
export function findRepoRoot(start = here): string {
  for (let d = start; ; d = dirname(d)) {
    if (isRepoRoot(d)) return d;
    if (dirname(d) === d) throw new Error(`bench: no logharbor package.json in ${start} or above it`);
  }
}

export const repoRoot = findRepoRoot();

/** The bench's working directory for cached journals and results (git-ignored). */
export const benchDir = join(repoRoot, ".bench");

/** argv that runs one of the bench's own scripts (bench/<name>.ts, compiled to dist/bench/<name>.js). */
export function benchScript(name: string): string[] {
  return fromSource
    ? [process.execPath, "--import", "tsx", join(here, "..", `${name}.ts`)]
    : [process.execPath, join(here, "..", `${name}.js`)];
}

/**
 * argv that runs the logharbor CLI of the same build as the bench: dist/src/cli/main.js beside
 * dist/bench/ (src/cli/main.ts under tsx when the bench runs from its sources).
 */
export function cliArgv(): string[] {
  if (fromSource) return [process.execPath, "--import", "tsx", join(repoRoot, "src", "cli", "main.ts")];
  return [process.execPath, join(here, "..", "..", "src", "cli", "main.js")];
}

/** Throws a clear error when the CLI is not built. */
export function requireCli(): void {
  const argv = cliArgv();
  const main = argv[argv.length - 1]!;
  if (!existsSync(main)) throw new Error(`the logharbor CLI is not built: ${main} is missing (run npm run build)`);
}
