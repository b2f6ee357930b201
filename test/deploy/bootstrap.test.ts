// scripts/bootstrap.sh installs every program the code, the tests and the benchmarks start (a `need`
// line each), so `npm test` on a fresh machine runs everything; and no test is skipped, for a missing
// package or anything else.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, tempDir } from "../harness/paths.js";
import { bootstrapNeeds, provided, spawnedPrograms, tsFiles } from "./spawned-programs.js";

const script = readFileSync(join(repoRoot, "scripts", "bootstrap.sh"), "utf8");
const SCANNED = ["src", "test", "bench"];

test("every program that src/, test/ or bench/ starts has a need line in scripts/bootstrap.sh", () => {
  const needs = bootstrapNeeds(script);
  const spawned = spawnedPrograms(repoRoot, tsFiles(repoRoot, SCANNED));
  // The scan itself finds what it must, so an empty or broken scan cannot pass.
  for (const p of ["etcdctl", "etcd", "journalctl", "/lib/systemd/systemd-journal-gatewayd", "/usr/bin/chromium", "openssl"])
    assert.ok(spawned.some((s) => s.program === p), `the scan finds ${p}`);
  const missing = spawned.filter((s) => !provided(s.program, needs)).map((s) => `${s.program} (started at ${s.at})`);
  assert.deepEqual(missing, [], `programs started but not installed by scripts/bootstrap.sh (add a need line): ${missing.join(", ")}`);
});

test("the scan names a program started by literal, by constant, by imported constant and by parameter default, and not a dynamic one", () => {
  const tmp = tempDir("lh-spawn-scan-");
  const dir = tmp.path;
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "paths.ts"), `export const FROB = process.env["X"] ?? "/usr/sbin/frobd";\n`);
  writeFileSync(
    join(dir, "src", "a.ts"),
    [
      `import { spawn as run, execFileSync } from "node:child_process";`,
      `import * as cp from "node:child_process";`,
      `import { FROB } from "./paths.js";`,
      `const TOOL = "quuxctl";`,
      `run("zapper", []);`,
      `execFileSync(TOOL);`,
      `cp.spawnSync(FROB, []);`,
      `function go(bin = "defaulted") { run(bin, []); }`,
      `run(process.execPath, []);`,
      `/x/.exec("not a program"); db.exec("SELECT 1");`,
    ].join("\n"),
  );
  const found = spawnedPrograms(dir, tsFiles(dir, ["src"]));
  assert.deepEqual([...new Set(found.map((f) => f.program))].sort(), ["/usr/sbin/frobd", "defaulted", "quuxctl", "zapper"]);
  assert.ok(found.some((f) => f.program === "zapper" && f.at === "src/a.ts:5"), JSON.stringify(found));
  const needs = bootstrapNeeds(`need /usr/sbin/frobd frob\nneed quuxctl quux\n`);
  assert.deepEqual(found.filter((f) => !provided(f.program, needs)).map((f) => f.program).sort(), ["defaulted", "zapper"]);
  tmp.dispose();
});

test("bootstrap.sh installs the test-only packages in its --test block", () => {
  const block = /if \[ "\$want_test" = 1 \]; then\n([\s\S]*?)\nfi\n/.exec(script)?.[1] ?? "";
  const needs = bootstrapNeeds(block);
  for (const pkg of ["etcd-server", "etcd-client", "chromium", "xz-utils"])
    assert.ok([...needs.values()].includes(pkg), `--test installs ${pkg}`);
});

test("no test is skipped or left as a todo", () => {
  const offenders: string[] = [];
  for (const file of tsFiles(repoRoot, SCANNED)) {
    if (!/\.test\.tsx?$/.test(file) && !file.includes("/harness/")) continue;
    const text = readFileSync(file, "utf8");
    text.split("\n").forEach((line, i) => {
      if (/\b(?:test|it|describe|t)\.(?:skip|todo)\(|[{,]\s*(?:skip|todo)\s*:/.test(line)) offenders.push(`${file.slice(repoRoot.length + 1)}:${i + 1}`);
    });
  }
  assert.deepEqual(offenders, []);
});
