// `logharbor serve` start-up problems: a port in use, a data directory another serve holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { tempDir } from "../harness/paths.js";
import { runCli, startServe } from "../harness/processes.js";

test("serve on a port in use says so in one line and creates nothing", async () => {
  const t = tempDir("lh-serve-port-");
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()));
  const port = (busy.address() as { port: number }).port;
  try {
    const data = join(t.path, "fresh");
    const r = await runCli(["serve", "--data", data, "--http", `127.0.0.1:${port}`, "--tcp", "off"]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^logharbor: --http 127\\.0\\.0\\.1:${port}: the address is in use by another program`));
    assert.equal(existsSync(data), false, "no data directory, no admin key");
  } finally {
    busy.close();
    t.dispose();
  }
});

test("a second serve on the same --data is refused, naming the one that holds it; a stale lock is taken over", async () => {
  const t = tempDir("lh-serve-lock-");
  const first = await startServe(t.path, ["--tcp", "off"]);
  try {
    const second = await runCli(["serve", "--data", t.path, "--http", "127.0.0.1:0", "--tcp", "off"]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`in use by another logharbor serve \\(pid ${first.child.pid}, lock file .*serve\\.lock\\)`));
  } finally {
    assert.equal(await first.stop("SIGKILL"), "SIGKILL");
  }
  // Killed: its lock stays behind, and the next serve takes it over.
  assert.ok(existsSync(join(t.path, "serve.lock")));
  const again = await startServe(t.path, ["--tcp", "off"]);
  assert.equal(await again.stop(), 0);
  assert.equal(existsSync(join(t.path, "serve.lock")), false, "a clean stop removes the lock");
  t.dispose();
});
