// The quick start: `logharbor up` serves, generates the demo cluster journal, and ships it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../harness/paths.js";
import { startCli, waitFor } from "../harness/processes.js";

test("logharbor up --demo serves, ships the generated 3-host demo journal, and says what to try", async () => {
  const t = tempDir();
  const up = startCli(["up", "--demo", "--demo-entries", "600", "--demo-rate", "0", "--data", t.path, "--http", "127.0.0.1:0", "--tcp", "127.0.0.1:0"]);
  try {
    const url = await waitFor("up to print the server URL", () => {
      if (up.child.exitCode !== null) throw new Error(`up exited ${up.child.exitCode}: ${up.stderr()}`);
      return /server\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(up.stdout())?.[1];
    }, 60_000);
    assert.match(up.stdout(), /npx logharbor query/);
    // Not on the CLI's default server: every command printed says where the server is.
    const tries = up.stdout().split("\n").filter((l) => l.trim().startsWith("npx logharbor"));
    assert.ok(tries.length >= 4 && tries.every((l) => l.includes(`--server ${url}`)), tries.join("\n"));
    const tcp = /token TCP (127\.0\.0\.1):(\d+)/.exec(up.stdout());
    assert.ok(tcp, up.stdout());
    const hosts = await waitFor("all 600 demo entries to be stored", async () => {
      const { logs } = (await (await fetch(`${url}/api/v1/logs`)).json()) as { logs: { name: string; events: number }[] };
      if (logs.find((l) => l.name === "demo")?.events !== 600) return undefined;
      const q = new URLSearchParams({ q: "groupby(host) calculate(count)", from: "-2d" });
      return (await (await fetch(`${url}/api/v1/query?${q}`)).json()) as { statistics: { groups: { key: unknown }[] } };
    }, 60_000);
    assert.equal(hosts.statistics.groups.length, 3, "the demo cluster has three hosts");
    assert.ok(existsSync(join(t.path, "demo-journal")), "the demo journal is kept for the next start");
    assert.equal(await up.stop("SIGTERM"), 0, up.stderr());
    assert.doesNotMatch(up.stdout(), /^\{/m, "the server's own logs go to its log file, not the terminal");
  } finally {
    await up.stop("SIGKILL");
    t.dispose();
  }
});

test("logharbor up keeps the demo cluster writing a few entries a second, so live tail shows some", async () => {
  const t = tempDir();
  const up = startCli(["up", "--demo", "--demo-entries", "100", "--demo-rate", "5", "--data", t.path, "--http", "127.0.0.1:0", "--tcp", "off"]);
  try {
    const url = await waitFor("up to print the server URL", () => {
      if (up.child.exitCode !== null) throw new Error(`up exited ${up.child.exitCode}: ${up.stderr()}`);
      return /server\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(up.stdout())?.[1];
    }, 60_000);
    assert.match(up.stdout(), /and 5 new entries a second/);
    const recent = async () => {
      const q = new URLSearchParams({ q: "calculate(count)", from: "-10s", log: "demo" });
      return ((await (await fetch(`${url}/api/v1/query?${q}`)).json()) as { statistics: { count: number } }).statistics.count;
    };
    const first = await waitFor("entries of the last seconds", async () => ((await recent()) > 0 ? recent() : undefined), 30_000);
    const later = await waitFor("more of them", async () => {
      const n = await recent();
      return n > 0 && n !== first ? n : undefined;
    }, 30_000);
    assert.ok(later > 0);
    assert.equal(await up.stop("SIGTERM"), 0, up.stderr());
  } finally {
    await up.stop("SIGKILL");
    t.dispose();
  }
});
