import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readConfigFile, resolveWithFile } from "./config-file.js";
import { describeShipConfig } from "./config.js";
import { repoRoot } from "../../test/harness/paths.js";

const dir = mkdtempSync(join(tmpdir(), "lh-config-file-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test("a file gives every setting the flags can, transforms included", async () => {
  const path = file("all.yaml", `journal: journalctl
journal_dir: ${dir}
to: "stdout:"
state: ${join(dir, "state")}
start_at: oldest
batch_max_entries: 100
batch_max_ms: 250
buffer_when_full: drop_newest
log_level: warn
transforms:
  - filter: { priority: info }
  - redact: { patterns: [email] }
`);
  const r = await resolveWithFile({}, {}, await readConfigFile(path));
  assert.deepEqual(r.problems, []);
  const c = r.config!;
  assert.equal(c.limits.maxEntries, 100);
  assert.equal(c.maxBatchMs, 250);
  assert.equal(c.buffer.whenFull, "drop_newest");
  assert.equal(c.logLevel, "warn");
  assert.deepEqual(c.selection, { directory: dir });
  assert.deepEqual(describeShipConfig(c)["transforms"], [{ filter: { priority: "info" } }, { redact: { patterns: ["email"] } }]);
});

test("precedence: flags > environment > file > defaults", async () => {
  const path = file("p.yaml", `journal: journalctl\nto: http://127.0.0.1:9/\ntoken: from-file\nstate: ${join(dir, "from-file")}\nbatch_max_entries: 10\nbatch_max_ms: 20\n`);
  const f = await readConfigFile(path);
  const fileOnly = (await resolveWithFile({}, {}, f)).config!;
  assert.ok(fileOnly.destination.kind === "harbor" && fileOnly.destination.token === "from-file");
  assert.equal(fileOnly.stateDir, join(dir, "from-file"));
  const env = (await resolveWithFile({}, { LOGHARBOR_TOKEN: "from-env", LOGHARBOR_STATE: join(dir, "from-env") }, f)).config!;
  assert.ok(env.destination.kind === "harbor" && env.destination.token === "from-env", "the environment beats the file");
  assert.equal(env.stateDir, join(dir, "from-env"));
  const flags = (await resolveWithFile({ token: "from-flag", batchMaxEntries: "30" }, { LOGHARBOR_TOKEN: "from-env" }, f)).config!;
  assert.ok(flags.destination.kind === "harbor" && flags.destination.token === "from-flag", "a flag beats the environment");
  assert.equal(flags.limits.maxEntries, 30, "a flag beats the file");
  assert.equal(flags.maxBatchMs, 20, "the file where no flag says otherwise");
  assert.equal(flags.maxInFlight, 3, "the default where nobody says otherwise");
});

test("every problem at once, each named by its place in the file (or the flag that set it), with the accepted form", async () => {
  const path = file("bad.yaml", `to: ftp://nowhere
batch_max_entries: 0
bufer_max_bytes: 1
journal_merge: "yes"
buffer_when_full: later
transforms:
  - filtr: {}
  - redact: { patterns: [credit_cards] }
  - multiline: { timeout: 5 }
`);
  const r = await resolveWithFile({ batchMaxMs: "0" }, {}, await readConfigFile(path));
  assert.equal(r.config, undefined);
  const want = [
    `${path}: unknown key "bufer_max_bytes"; did you mean "buffer_max_bytes"?`,
    `${path}: journal_merge: expected true or false, got "yes"`,
    `${path}: batch_max_entries: must be an integer from 1 to 1000000, got "0"`,
    `--batch-max-ms: must be an integer from 1 to 3600000, got "0"`,
    `${path}: buffer_when_full: expected block or drop_newest, got "later"`,
    `${path}: transforms[0]: unknown transform "filtr"; did you mean "filter"?`,
    `${path}: transforms[1].redact.patterns[0]: expected one of credit_card, aws_key, bearer_token, url_password, email, got "credit_cards"; did you mean "credit_card"?`,
    `${path}: transforms[2].multiline: unknown key "timeout"; did you mean "timeout_ms"?`,
  ];
  for (const w of want) assert.ok(r.problems.includes(w), `missing: ${w}\ngot:\n${r.problems.join("\n")}`);
  assert.ok(r.problems.some((p) => p.startsWith(`${path}: to: unknown scheme "ftp:"`) && p.includes("accepted forms: http(s)://server:port")), r.problems.join("\n"));
});

test("a file that cannot be used is the only problem reported", async () => {
  for (const [name, text, re] of [
    ["syntax.yaml", "to: [unclosed\n", /syntax.yaml: expected YAML or JSON, got a syntax error/],
    ["list.yaml", "- a\n", /list.yaml: expected a mapping of settings \(key: value\), got a list/],
  ] as const) {
    const r = await resolveWithFile({}, {}, await readConfigFile(file(name, text)));
    assert.equal(r.problems.length, 1, r.problems.join("\n"));
    assert.match(r.problems[0]!, re);
  }
  const missing = await resolveWithFile({}, {}, await readConfigFile(join(dir, "absent.yaml")));
  assert.deepEqual(missing.problems, [`${join(dir, "absent.yaml")}: expected a readable YAML or JSON configuration file, got no such file`]);
});

test("JSON is accepted as well", async () => {
  const path = file("c.json", JSON.stringify({ journal: "journalctl", to: "stdout:", state: join(dir, "s"), batch_max_entries: 5, transforms: [{ filter: { priority: "err" } }] }));
  const r = await resolveWithFile({}, {}, await readConfigFile(path));
  assert.deepEqual(r.problems, []);
  assert.equal(r.config!.limits.maxEntries, 5);
  assert.equal(r.config!.transforms?.[0]?.verb, "filter");
});

test("the complete example file of docs/configuration.md is valid", async () => {
  const doc = readFileSync(join(repoRoot, "docs", "configuration.md"), "utf8");
  const example = /### A complete file\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(example, "the example is in the docs");
  // This machine's paths instead of a host's (flags beat the file).
  const r = await resolveWithFile({ journalDir: dir, state: join(dir, "example-state") }, {}, await readConfigFile(file("example.yaml", example)));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config!.transforms?.map((t) => t.verb), ["filter", "multiline", "redact", "throttle", "enrich"]);
});
