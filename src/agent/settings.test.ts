import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Command } from "commander";
import { DOCUMENT_KEYS, HOST_LOCAL_KEYS } from "./cluster/document.js";
import { documentKeysTable, explicitFlags, flagField, flagName, SETTING_KEYS, setting } from "./settings.js";
import { registerShip } from "../cli/commands/ship.js";
import { repoRoot } from "../../test/harness/paths.js";

function shipCommand(): Command {
  const program = new Command("logharbor").exitOverride();
  registerShip(program);
  return program.commands.find((c) => c.name() === "ship")!;
}

test("a document accepts exactly the settings of the ship command, plus transforms, minus the command-line switches", () => {
  const options = new Set(shipCommand().options.map((o) => o.attributeName()));
  for (const key of SETTING_KEYS) {
    const s = setting(key);
    if (s.flag !== undefined) assert.ok(options.has(flagField(key)), `ship has no option for ${key}`);
    assert.equal(key in DOCUMENT_KEYS, s.cliOnly !== true, key);
  }
  assert.equal(DOCUMENT_KEYS["transforms"]?.kind, "transforms");
  assert.equal(DOCUMENT_KEYS["exit_when_idle"], undefined);
  assert.deepEqual([...HOST_LOCAL_KEYS].sort(), ["ca_file", "journal_dir", "journal_file", "state"]);
});

test("names: key ↔ flag field ↔ command-line flag", () => {
  assert.equal(flagField("batch_max_entries"), "batchMaxEntries");
  assert.equal(flagName("batchMaxEntries"), "--batch-max-entries");
  assert.equal(flagName("transforms"), "transforms", "a document-only setting is named by its key");
});

test("only the flags given on the command line count, not commander's defaults", () => {
  const cmd = shipCommand();
  cmd.parseOptions(["--batch-max-ms", "300", "--to", "a", "--to", "b", "--check"]);
  const flags = explicitFlags(cmd, cmd.opts());
  assert.deepEqual(flags, { batchMaxMs: "300", to: ["a", "b"] });
});

test("docs/configuration.md holds the generated table of document keys", () => {
  const doc = readFileSync(join(repoRoot, "docs", "configuration.md"), "utf8");
  assert.ok(doc.includes(documentKeysTable()), "regenerate the table: node --import tsx -e 'import(\"./src/agent/settings.ts\").then((m) => console.log(m.documentKeysTable()))'");
});
