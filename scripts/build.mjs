// Build: type-check and compile src/, test/ and bench/ to dist/ (a clean dist every time, so a
// deleted source never leaves a stale compiled file behind).
import { rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const r = spawnSync(process.execPath, [tsc, "-p", root], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
