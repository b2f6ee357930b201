// The web UI build the Chromium tests load: dist/web from `npm run build`; when the tests run from
// sources without a build, the page is built now (vite build of src/web only).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths.js";

export function ensureWebBuilt(): void {
  if (existsSync(join(repoRoot, "dist", "web", "index.html"))) return;
  const vite = join(repoRoot, "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(repoRoot, "src", "web", "vite.config.ts")], { cwd: repoRoot, stdio: "inherit" });
  assert.equal(r.status, 0, "vite build of the web UI failed");
}
