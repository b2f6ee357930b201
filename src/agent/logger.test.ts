import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { wantsPrettyLogs } from "./logger.js";

const here = fileURLToPath(new URL("./logger.js", import.meta.url));

function logOnce(env: Record<string, string>): string {
  const code = `import(${JSON.stringify(here)}).then(({ createLogger }) => createLogger("info").info({ sink: "central", entries: 5 }, "batch delivered"))`;
  const execArgv = here.endsWith(".ts") ? ["--import", "tsx"] : [];
  return spawnSync(process.execPath, [...execArgv, "--input-type=module", "-e", code], { env: { ...process.env, ...env }, encoding: "utf8" }).stderr;
}

test("agent logs are JSON lines unless a person reads them on a terminal (or LOGHARBOR_LOG_FORMAT says)", () => {
  assert.equal(wantsPrettyLogs({}, true), true);
  assert.equal(wantsPrettyLogs({}, false), false);
  assert.equal(wantsPrettyLogs({ LOGHARBOR_LOG_FORMAT: "json" }, true), false);
  assert.equal(wantsPrettyLogs({ LOGHARBOR_LOG_FORMAT: "pretty" }, false), true);
  const json = logOnce({});
  const line = JSON.parse(json.trim()) as { msg: string; entries: number };
  assert.deepEqual([line.msg, line.entries], ["batch delivered", 5]);
  const readable = logOnce({ LOGHARBOR_LOG_FORMAT: "pretty", NO_COLOR: "1" });
  assert.match(readable, /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: batch delivered \{"sink":"central","entries":5\}\n$/);
});
