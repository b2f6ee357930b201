import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const here = fileURLToPath(import.meta.url);
// The CLI entry beside this file: main.ts when running from sources (tsx), main.js from dist/.
const main = join(dirname(here), "..", here.endsWith(".ts") ? "main.ts" : "main.js");

test("serve listens on port 0, prints the real URL, and stops cleanly on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-serve-"));
  const execArgv = main.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...execArgv, main, "serve", "--data", dir, "--http", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (line) => {
        const m = /^logharbor serve: listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
        if (m && m[2] !== "0") resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
    });
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const created = await fetch(`${url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"x"}' });
    assert.equal(created.status, 201);
    child.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.ok(existsSync(join(dir, "logharbor.db")));
    assert.ok(existsSync(join(dir, "admin-api-key")));
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [flag, value, want] of [
  ["--max-inflight-batches", "0", /--max-inflight-batches: expected an integer >= 1, got "0"/],
  ["--max-queued-bytes", "10", /--max-queued-bytes: expected an integer >= 65536, got "10"/],
  ["--retention", "30m", /--retention: expected 0 \(keep everything\) or a duration of at least 1h such as 12h, 30d or 2w, got "30m"/],
  ["--retention", "ten days", /--retention: expected 0 .* got "ten days"/],
  ["--query-threads", "-1", /--query-threads: expected an integer from 0 to 64, got "-1"/],
] as const) {
  test(`serve refuses ${flag} ${value} with exit 2, naming the flag and the accepted form`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lh-serve-"));
    const execArgv = main.endsWith(".ts") ? ["--import", "tsx"] : [];
    const child = spawn(process.execPath, [...execArgv, main, "serve", "--data", dir, "--http", "127.0.0.1:0", "--tcp", "off", flag, value], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    try {
      const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
      assert.equal(code, 2, stderr);
      assert.match(stderr, want);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
