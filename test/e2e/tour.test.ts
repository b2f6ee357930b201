// docs/tour.md works as written: every `npx logharbor ...` command in its sh blocks runs against the
// demo cluster of `logharbor up --demo` (with --server added, the server being on port 0 here) and
// exits 0; `ID` takes the id printed by the command before; `tail` must print, then stop on Ctrl-C.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, tempDir } from "../harness/paths.js";
import { runCli, startCli, waitFor } from "../harness/processes.js";

/** The `npx logharbor` commands of the markdown's sh blocks, as argument lists. */
export function tourCommands(markdown: string): string[][] {
  const out: string[][] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split("\n")) {
      const t = line.trim();
      if (!t.startsWith("npx logharbor ")) continue;
      const args: string[] = [];
      for (const m of t.slice("npx logharbor ".length).matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) args.push(m[1] ?? m[2] ?? m[3]!);
      out.push(args);
    }
  }
  return out;
}

test("every command of docs/tour.md runs on the demo cluster", { timeout: 300_000 }, async () => {
  const commands = tourCommands(readFileSync(join(repoRoot, "docs", "tour.md"), "utf8"));
  assert.ok(commands.length >= 12, `${commands.length} commands`);
  assert.deepEqual(commands[0], ["up", "--demo"]);
  const t = tempDir("lh-tour-");
  const up = startCli([...commands[0]!, "--demo-entries", "3000", "--data", t.path, "--http", "127.0.0.1:0", "--tcp", "off"]);
  try {
    const url = await waitFor("up to print the server URL", () => {
      if (up.child.exitCode !== null) throw new Error(`up exited ${up.child.exitCode}: ${up.stderr()}`);
      return /server\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(up.stdout())?.[1];
    }, 90_000);
    await waitFor("the demo journal stored", async () => {
      const { logs } = (await (await fetch(`${url}/api/v1/logs`)).json()) as { logs: { name: string; events: number }[] };
      return (logs.find((l) => l.name === "demo")?.events ?? 0) >= 3000 || undefined;
    }, 90_000);
    let id: string | undefined;
    for (const cmd of commands.slice(1)) {
      const args = [...cmd.map((a) => (a === "ID" ? id! : a)), "--server", url];
      if (cmd[0] === "tail") {
        const tail = startCli(args, { NO_COLOR: "1" });
        await waitFor(`${cmd.join(" ")} to print`, () => tail.stdout().length > 0 || undefined, 30_000);
        assert.equal(await tail.stop("SIGINT"), 0, `${cmd.join(" ")}: ${tail.stderr()}`);
        continue;
      }
      const r = await runCli(args, { NO_COLOR: "1" });
      assert.equal(r.code, 0, `${cmd.join(" ")}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Error|\n\s+at /, cmd.join(" "));
      const json = /"id":(\d+)/.exec(r.stdout);
      if (cmd.includes("json") && json) id = json[1];
    }
    assert.ok(id !== undefined, "the tour printed an id to take the context of");
    assert.equal(await up.stop("SIGTERM"), 0, up.stderr());
  } finally {
    await up.stop("SIGKILL");
    t.dispose();
  }
});
