#!/usr/bin/env node
// The logharbor command. The TypeScript sources are compiled to dist/ by `npm run build`
// (the bootstrap script does it on install, start and test).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("logharbor: not built yet; run `npm run build` (or `npm start`, which builds) first\n");
  process.exit(1);
}
await import(main.href);
