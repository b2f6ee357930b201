import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeShipConfig, resolveShipConfig } from "../config.js";

const base = () => ({ journal: "journalctl", to: ["stdout:"], state: join(mkdtempSync(join(tmpdir(), "lh-shipcfg-")), "state") });

test("ship config: a transforms section is validated with the rest and kept in order", async () => {
  const r = await resolveShipConfig({ ...base(), transforms: [{ filter: { priority: "info" } }, { redact: { patterns: ["email"] } }] }, {});
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config?.transforms?.map((t) => t.verb), ["filter", "redact"]);
  assert.deepEqual(describeShipConfig(r.config!)["transforms"], [{ filter: { priority: "info" } }, { redact: { patterns: ["email"] } }]);
});

test("ship config: transform problems are reported with every other problem, by path", async () => {
  const r = await resolveShipConfig({ ...base(), startAt: "someday", transforms: [{ multiline: { timeout: 5 } }] }, {});
  assert.equal(r.config, undefined);
  assert.ok(r.problems.some((p) => /--start-at/.test(p)), r.problems.join("\n"));
  assert.ok(r.problems.includes('transforms[0].multiline: unknown key "timeout"; did you mean "timeout_ms"?'), r.problems.join("\n"));
});

test("ship config: without transforms the settings are as before", async () => {
  const r = await resolveShipConfig(base(), {});
  assert.equal(r.config?.transforms, undefined);
  assert.equal("transforms" in describeShipConfig(r.config!), false);
});
