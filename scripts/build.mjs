// Build: type-check and compile src/, test/ and bench/ to dist/, and the web UI to dist/web/ (a clean dist every time, so a
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
// The web UI (src/web, its own tsconfig): type-check it, then bundle it into dist/web with Vite.
const webTsc = spawnSync(process.execPath, [tsc, "-p", join(root, "src", "web")], { stdio: "inherit" });
if (webTsc.status !== 0) process.exit(webTsc.status ?? 1);
const vite = join(root, "node_modules", "vite", "bin", "vite.js");
const web = spawnSync(process.execPath, [vite, "build", "--config", join(root, "src", "web", "vite.config.ts")], { stdio: "inherit", cwd: root });
if (web.status !== 0) process.exit(web.status ?? 1);
