// The CLI as an operator uses it against a real `logharbor serve`: pipes into head, journalctl's
// flags (-n -u -p -o --since), context around an entry, fields and saved queries, access-log fields,
// the hints on stderr, exit codes, and a live tail that survives a server restart.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { encodeExportEntry, type ExportField } from "../../src/core/journal/export-encoder.js";
import { cliArgv, tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor, type Serve } from "../harness/processes.js";

const BOOT = "fedcba9876543210fedcba9876543210";
const N = 3000;

function entry(i: number, tsUs: number): ExportField[] {
  const access = i % 4 === 0;
  const fields: ExportField[] = [
    ["__REALTIME_TIMESTAMP", String(tsUs)],
    ["__MONOTONIC_TIMESTAMP", String(1_000_000 + i)],
    ["_BOOT_ID", BOOT],
    ["_HOSTNAME", `node-${i % 3}`],
    ["PRIORITY", String(access ? 6 : i % 8)],
    ["_SYSTEMD_UNIT", access ? "nginx.service" : i % 4 === 1 ? "docker.service" : "kubelet.service"],
    [
      "MESSAGE",
      access
        ? `10.0.0.${i % 250} - - [04/Dec/2026:02:17:47 +0000] "GET /orders/${i} HTTP/1.1" ${i % 8 === 0 ? 503 : 200} 512 "-" "curl/8.5.0" rt=0.01`
        : `entry ${i} of the operator test, padded so that a pipe fills up quickly: ${"x".repeat(60)}`,
    ],
  ];
  if (i % 4 === 1) fields.push(["CONTAINER_NAME", i % 8 === 1 ? "orders-api" : "billing-worker"]);
  return fields;
}

async function post(s: Serve, token: string, entries: ExportField[][]): Promise<void> {
  const res = await fetch(`${s.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body: Buffer.concat(entries.map((e) => encodeExportEntry(e))),
  });
  assert.equal(res.status, 200, await res.text());
}

/** `logharbor ARGS | head -n 1` in bash: the CLI's exit code and stderr, and what head printed. */
function piped(args: string[], server: string, errFile: string): { code: number; stderr: string; stdout: string } {
  const quoted = [...cliArgv(), ...args, "--server", server].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const r = spawnSync("bash", ["-c", `${quoted} 2>"$ERR" | head -n 1; echo "exit=\${PIPESTATUS[0]}"; cat "$ERR" >&2`], {
    encoding: "utf8", env: { ...process.env, ERR: errFile, NO_COLOR: "1" }, timeout: 60_000,
  });
  const code = Number(/exit=(\d+)/.exec(r.stdout)?.[1] ?? -1);
  return { code, stderr: r.stderr, stdout: r.stdout.replace(/exit=\d+\n$/, "") };
}

describe("the CLI for operators", { timeout: 240_000 }, () => {
  const dir = tempDir("lh-operator-cli-");
  let serve: Serve;
  let token = "";
  const now = Date.now();
  const cli = (args: string[]) => runCli([...args, "--server", serve.url], { NO_COLOR: "1" });

  before(async () => {
    serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off"]);
    const r = await runCli(["logs", "create", "cluster", "--quiet", "--server", serve.url]);
    token = r.stdout.trim();
    // Over the last 50 minutes.
    await post(serve, token, Array.from({ length: N }, (_, i) => entry(i, (now - 50 * 60_000 + i * 1000) * 1000)));
  });
  after(async () => {
    await serve?.stop();
    dir.dispose();
  });

  test("query, query --all, query --raw and tail exit quietly with 0 when the reader of the pipe goes away", () => {
    for (const args of [["query", "--limit", "3000"], ["query", "--all"], ["query", "--all", "--raw"], ["tail", "-n", "3000"]]) {
      const r = piped(args, serve.url, `${dir.path}/pipe-stderr`);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /EPIPE|Error|\n\s+at /, args.join(" "));
      assert.equal(r.stdout.split("\n").filter(Boolean).length, 1);
    }
  });

  test("journalctl's flags: -n, -u, -p, -o cat/json, --since with '1 hour ago'", async () => {
    const r = await cli(["query", "-u", "kubelet.service", "-p", "err", "-n", "5", "-o", "json", "--since", "1 hour ago"]);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { unit: string; priority: number });
    assert.equal(events.length, 5);
    assert.ok(events.every((e) => e.unit === "kubelet.service" && e.priority <= 3), r.stdout);
    assert.match(r.stderr, /more entries match than the newest 5 shown; -n N shows more/);
    const range = await cli(["query", "-p", "crit..alert", "-o", "json", "--limit", "1000", "--since", "yesterday"]);
    assert.ok(range.stdout.trim().split("\n").every((l) => [1, 2].includes((JSON.parse(l) as { priority: number }).priority)));
    const cat = await cli(["query", "--container", "orders-api", "-n", "2", "-o", "cat"]);
    assert.equal(cat.code, 0, cat.stderr);
    assert.match(cat.stdout, /^entry \d+ of the operator test.*\nentry \d+ of the operator test/);
    const bad = await cli(["query", "-p", "loud"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /-p\/--priority: expected a priority name/);
  });

  test("access-log lines are fields at ingest: the README's query finds the 5xx", async () => {
    const r = await cli(["query", "where(unit=nginx.service AND status>=500) calculate(count)", "--from", "-1d", "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { statistics: { count: number } }).statistics.count, N / 8);
    const byPath = await cli(["query", "where(method = GET AND path starts-with /orders/) calculate(count)", "--from", "-1d", "-o", "json"]);
    assert.equal((JSON.parse(byPath.stdout) as { statistics: { count: number } }).statistics.count, N / 4);
  });

  test("a query on a field no entry has says so on stderr, with the fields seen", async () => {
    const r = await cli(["query", "where(statuz >= 500)", "--from", "-1d"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /has the field `statuz`; fields seen: .*status/);
  });

  test("--context N ID prints the entries around one on the same host, marking it", async () => {
    const one = JSON.parse((await cli(["query", "-n", "1", "-o", "json", "--host", "node-1"])).stdout) as { id: number };
    const r = await cli(["query", "--context", "3", String(one.id)]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 4, "3 before, the entry, none after (it is the newest)");
    assert.ok(lines.every((l) => / node-1 /.test(l)), r.stdout);
    assert.match(lines[3]!, /^> /);
    assert.match(r.stderr, /3 before and 0 after entry \d+ in log "cluster", same host \(node-1\)/);
    const unit = await cli(["query", "--context", "2", String(one.id), "--by", "unit", "-o", "json"]);
    const units = unit.stdout.trim().split("\n").map((l) => JSON.parse(l) as { unit: string; host: string });
    assert.ok(units.length >= 3 && units.length <= 5, unit.stdout);
    assert.ok(units.every((e) => e.unit === units[0]!.unit) && units.some((e) => e.host !== "node-1"), unit.stdout);
    const bad = await cli(["query", "--context", "3", "abc"]);
    assert.equal(bad.code, 2);
  });

  test("fields lists field names and a field's values; saved list lists saved queries", async () => {
    const f = await cli(["fields"]);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /^field\s+short name\s+from\s+entries/);
    assert.match(f.stdout, /\nstatus\s+message\s+\d+/);
    assert.match(f.stdout, /\nCONTAINER_NAME\s+container\s+journal/);
    const v = await cli(["fields", "container"]);
    assert.match(v.stdout, /orders-api\s+\d+/);
    await fetch(`${serve.url}/api/v1/saved-queries`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "5xx", q: "where(status>=500)", from: "-1h", to: "now", log: "" }),
    });
    const s = await cli(["saved", "list"]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /5xx\s+where\(status>=500\)\s+-1h\s+now\s+all/);
  });

  test("bad usage exits 2: an inverted range, an unknown log", async () => {
    const inverted = await cli(["query", "--from", "now", "--to", "-1h"]);
    assert.equal(inverted.code, 2);
    assert.match(inverted.stderr, /the time range is inverted/);
    const log = await cli(["query", "--log", "nope"]);
    assert.equal(log.code, 2);
    assert.match(log.stderr, /no log named "nope"/);
  });

  test("tail keeps following across a server restart and shows what was stored meanwhile", async () => {
    const port = new URL(serve.url).port;
    const tail = startCli(["tail", "-n", "0", "restart-probe", "--server", serve.url], { NO_COLOR: "1" });
    try {
      // Until the tail is live: a probe it prints.
      await waitFor("the tail to print a probe", async () => {
        await post(serve, token, [entry(N + 1, Date.now() * 1000).map(([k, v]) => [k, k === "MESSAGE" ? "restart-probe before" : k === "__MONOTONIC_TIMESTAMP" ? String(Date.now()) : v] as ExportField)]);
        await new Promise((r) => setTimeout(r, 300));
        return tail.stdout().includes("restart-probe before") || undefined;
      });
      await serve.stop();
      serve = await startServe(dir.path, ["--tcp", "off", "--tls", "off", "--http", `127.0.0.1:${port}`]);
      await post(serve, token, [entry(N + 2, Date.now() * 1000).map(([k, v]) => [k, k === "MESSAGE" ? "restart-probe after" : k === "__MONOTONIC_TIMESTAMP" ? String(Date.now() + 1) : v] as ExportField)]);
      await waitFor("the entry stored after the restart", () => tail.stdout().includes("restart-probe after") || undefined, 30_000);
      assert.equal(tail.child.exitCode, null, "the tail is still running");
      assert.match(tail.stderr(), /reconnect/);
    } finally {
      assert.equal(await tail.stop("SIGINT"), 0);
    }
  });
});

describe("commands that looked fine but were not", { timeout: 120_000 }, () => {
  test("ship --status on a --state that does not exist says so and exits 1", async () => {
    const r = await runCli(["ship", "--status", "--state", "/nonexistent/logharbor-state"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--state \/nonexistent\/logharbor-state: no such directory/);
  });

  test("ship --exit-when-idle from a gatewayd that is not there gives up, naming what is missing", async () => {
    const t = tempDir("lh-ship-nogw-");
    try {
      const r = await runCli(["ship", "--journal", `gatewayd:${t.path}/no-gatewayd.sock`, "--exit-when-idle", "--to", "stdout:", "--state", `${t.path}/state`]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /cannot read the journal after 3 attempts .*ENOENT.*systemd-journal-gatewayd/s);
    } finally {
      t.dispose();
    }
  });
});
