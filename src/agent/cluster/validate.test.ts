import assert from "node:assert/strict";
import { test } from "node:test";
import { validateDocument } from "./validate.js";

test("a cluster document without a destination or a token is valid: hosts or their environment may give them", async () => {
  assert.deepEqual(await validateDocument("batch_max_entries: 500\n", "c.yaml"), []);
  assert.deepEqual(await validateDocument("to: https://logs.example.com:8080\n", "c.yaml"), []);
});

test("paths that exist only on the hosts are not looked for on the operator's machine", async () => {
  assert.deepEqual(await validateDocument("journal: journalctl\njournal_dir: /nowhere/on/this/machine\nstate: /nowhere/either\n", "h.yaml"), []);
});

test("every problem is reported at once, each naming the file", async () => {
  const problems = await validateDocument("to: ftp://x\nbatch_max_entries: 0\nbuffer_when_full: later\ncolour: red\n", "c.yaml");
  assert.equal(problems.length, 4, problems.join("\n"));
  for (const p of problems) assert.match(p, /^c\.yaml: /);
  assert.ok(problems.some((p) => p.includes('unknown key "colour"')));
  // Named by their path in the document, not by the flag.
  assert.ok(problems.includes('c.yaml: batch_max_entries: must be an integer from 1 to 1000000, got "0"'), problems.join("\n"));
  assert.ok(problems.includes('c.yaml: buffer_when_full: expected block or drop_newest, got "later"'), problems.join("\n"));
  assert.ok(problems.some((p) => p.startsWith('c.yaml: to: unknown scheme "ftp:"')), problems.join("\n"));
});

test("a syntax error is the only problem reported", async () => {
  const problems = await validateDocument("to: [x\n", "c.yaml");
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /c\.yaml: expected YAML or JSON, got a syntax error/);
});
