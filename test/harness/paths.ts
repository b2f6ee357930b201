// Locations shared by tests: the repository root, temporary directories, how to run our CLI.
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  let d = start;
  while (!existsSync(join(d, "package.json"))) {
    const up = dirname(d);
    if (up === d) throw new Error(`no package.json above ${start}`);
    d = up;
  }
  return d;
}

export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/** True when this code runs from TypeScript sources (node --import tsx), false from dist/. */
export const runningFromSource = import.meta.url.endsWith(".ts");

/** argv prefix that runs the logharbor CLI from the same form (source or dist) as the tests. */
export function cliArgv(): string[] {
  return runningFromSource
    ? [process.execPath, "--import", "tsx", join(repoRoot, "src", "cli", "main.ts")]
    : [process.execPath, "--enable-source-maps", join(repoRoot, "dist", "src", "cli", "main.js")];
}

/** A fresh temporary directory, removed when the returned dispose function runs. */
export function tempDir(prefix = "logharbor-test-"): { path: string; dispose: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}
