// The agent's configuration from a real etcd (v3): read, merged by precedence, watched, validated,
// cached; agents report in with a lease; `logharbor cluster set-config` / `status` against it.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Etcd3 } from "etcd3";
import { Registry } from "prom-client";
import { createEtcdClient } from "../../src/agent/cluster/client.js";
import { CLUSTER_CACHE_FILE } from "../../src/agent/cluster/cache.js";
import { clusterKeys } from "../../src/agent/cluster/keys.js";
import { LiveConfig } from "../../src/agent/cluster/live-config.js";
import { ClusterMetrics } from "../../src/agent/cluster/metrics.js";
import { AgentRegistration } from "../../src/agent/cluster/registration.js";
import { describeShipConfig, type ShipConfig } from "../../src/agent/config.js";
import { silentLogger } from "../../src/agent/logger.js";
import { captureLogger } from "../harness/capture-logger.js";
import { freePort, startEtcd, type TestEtcd } from "../harness/etcd.js";
import { tempDir } from "../harness/paths.js";
import { runCli, waitFor } from "../harness/processes.js";

const FAST = { min: 50, max: 200 };

describe("cluster configuration from etcd", () => {
  let etcd: TestEtcd;
  let kv: Etcd3;
  const dirs: Array<{ dispose(): void }> = [];
  const lives: LiveConfig[] = [];
  const clients: Etcd3[] = [];
  before(async () => {
    etcd = await startEtcd();
    kv = etcd.client();
  });
  after(async () => {
    await Promise.all(lives.map((l) => l.stop()));
    for (const c of clients) c.close();
    await etcd.dispose();
    for (const d of dirs) d.dispose();
  });

  function state(): string {
    const d = tempDir();
    dirs.push(d);
    return d.path;
  }
  function client(url = etcd.url): Etcd3 {
    const c = createEtcdClient({ hosts: [url], callTimeoutMs: 1000 });
    clients.push(c);
    return c;
  }
  function live(prefix: string, host: string, stateDir: string, extra: Partial<ConstructorParameters<typeof LiveConfig>[0]> = {}, url?: string): LiveConfig {
    const l = new LiveConfig({
      client: client(url),
      keys: clusterKeys(prefix, host),
      base: { flags: { journal: "journalctl", state: stateDir }, env: {} },
      stateDir,
      log: silentLogger(),
      retryMs: FAST,
      ...extra,
    });
    lives.push(l);
    return l;
  }

  test("reads the cluster configuration and the host's override, the host's settings winning", async () => {
    await kv.put("/t1/config").value("to: http://127.0.0.1:9/\ntoken: cluster-token\nbatch_max_entries: 100\nbatch_max_ms: 250\n");
    await kv.put("/t1/hosts/web-1/config").value('{"batch_max_entries": 50}');
    const c = await live("/t1", "web-1", state()).start();
    assert.equal(c.limits.maxEntries, 50, "per-host beats cluster");
    assert.equal(c.maxBatchMs, 250, "the cluster's setting where the host has none");
    assert.equal(c.destination.kind, "harbor");
    const other = await live("/t1", "web-2", state()).start();
    assert.equal(other.limits.maxEntries, 100, "another host gets the cluster's value");
  });

  test("ships to Logentries with the token kept at /logentries.com/token, as journal-2-logentries did", async () => {
    await kv.put("/logentries.com/token").value("2bfbea1e-10c3-4419-bdad-7e6435882e1f\n");
    const c = await live("/t2-empty", "h", state()).start();
    assert.equal(c.destination.kind, "logentries");
    const shown = JSON.stringify(describeShipConfig(c));
    assert.doesNotMatch(shown, /2bfbea1e/, "the token is masked");
    await kv.delete().key("/logentries.com/token");
  });

  test("applies a valid change live and caches it in the state directory", async () => {
    await kv.put("/t3/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 10\n");
    const changes: ShipConfig[] = [];
    const dir = state();
    const l = live("/t3", "h", dir, { onChange: (c) => changes.push(c) });
    assert.equal((await l.start()).limits.maxEntries, 10);
    await kv.put("/t3/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 20\n");
    const next = await waitFor("the change to arrive", () => changes[0]);
    assert.equal(next.limits.maxEntries, 20);
    assert.equal(l.current, next);
    await waitFor("the cache to hold the change", () => readFileSync(join(dir, CLUSTER_CACHE_FILE), "utf8").includes("batch_max_entries: 20") || undefined);
  });

  test("rejects an invalid change with every problem, counts it, and keeps running the last good configuration", async () => {
    await kv.put("/t4/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 10\n");
    const registry = new Registry();
    const metrics = new ClusterMetrics(registry);
    const cap = captureLogger();
    const changes: ShipConfig[] = [];
    const l = live("/t4", "h", state(), { metrics, log: cap.log, onChange: (c) => changes.push(c) });
    const good = await l.start();
    await kv.put("/t4/config").value("to: [http://127.0.0.1:9/\nbatch_max_entires: 5\n");
    await waitFor("the rejection", () => l.lastError);
    assert.match(l.lastError!, /etcd \/t4\/config: expected YAML or JSON/);
    assert.equal(l.current, good);
    await kv.put("/t4/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entires: 5\nbatch_max_bytes: 10\n");
    await waitFor("the second rejection", () => (l.lastError?.includes("batch_max_entires") ? true : undefined));
    assert.match(l.lastError!, /unknown key "batch_max_entires"; did you mean "batch_max_entries"\?/);
    assert.match(l.lastError!, /etcd \/t4\/config: batch_max_bytes: must be an integer from 1024/, "every problem at once, by its path in the document");
    assert.deepEqual(changes, []);
    assert.equal(l.current, good);
    assert.match(await registry.metrics(), /logharbor_ship_cluster_config_rejected_total 2/);
    assert.ok(cap.lines.some((x) => x["msg"] === "rejected the configuration from etcd; still running the last good one"));
    await kv.put("/t4/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 30\n");
    const next = await waitFor("the next valid change", () => changes[0] as ShipConfig | undefined);
    assert.equal(next.limits.maxEntries, 30);
    assert.equal(l.lastError, undefined);
  });

  test("flags and the environment beat etcd", async () => {
    await kv.put("/t5/config").value("to: http://127.0.0.1:9/\ntoken: from-etcd\nbatch_max_entries: 10\nbatch_max_ms: 100\n");
    const dir = state();
    const l = live("/t5", "h", dir, { base: { flags: { journal: "journalctl", state: dir, batchMaxEntries: "7" }, env: { LOGHARBOR_TOKEN: "from-env" } } });
    const c = await l.start();
    assert.equal(c.limits.maxEntries, 7);
    assert.equal(c.maxBatchMs, 100);
    assert.ok(c.destination.kind === "harbor" && c.destination.token === "from-env");
  });

  test("starts from the cached configuration when etcd is unreachable", async () => {
    await kv.put("/t6/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 44\n");
    const dir = state();
    await live("/t6", "h", dir).start();
    const cap = captureLogger();
    const dead = `http://127.0.0.1:${await freePort()}`;
    const l = live("/t6", "h", dir, { log: cap.log }, dead);
    const c = await l.start();
    assert.equal(c.limits.maxEntries, 44);
    assert.equal(l.origin, "cache");
    assert.ok(cap.lines.some((x) => x["msg"] === "etcd does not answer; retrying"));
  });
});

describe("cluster configuration when etcd goes away", () => {
  let etcd: TestEtcd;
  const dirs: Array<{ dispose(): void }> = [];
  before(async () => (etcd = await startEtcd()));
  after(async () => {
    await etcd.dispose();
    for (const d of dirs) d.dispose();
  });

  test("with no cache and no etcd it waits and says why, starts once etcd answers, and follows changes made after a restart", async () => {
    const kv = etcd.client();
    await kv.put("/w/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 11\n");
    await etcd.stop();
    const dir = tempDir();
    dirs.push(dir);
    const cap = captureLogger();
    const changes: ShipConfig[] = [];
    const c = createEtcdClient({ hosts: [etcd.url], callTimeoutMs: 1000 });
    const l = new LiveConfig({ client: c, keys: clusterKeys("/w", "h"), base: { flags: { journal: "journalctl", state: dir.path }, env: {} }, stateDir: dir.path, log: cap.log, retryMs: FAST, onChange: (x) => changes.push(x) });
    let started = undefined as ShipConfig | undefined;
    const starting = l.start().then((x) => (started = x));
    await cap.waitFor("waiting for etcd: it does not answer and no configuration from an earlier run is cached in the state directory");
    assert.equal(started, undefined);
    await etcd.start();
    await starting;
    assert.equal(started!.limits.maxEntries, 11);
    assert.equal(l.origin, "etcd");
    // etcd restarts: the watch reconnects and a change made after it is applied.
    await etcd.stop();
    await etcd.start();
    await kv.put("/w/config").value("to: http://127.0.0.1:9/\ntoken: a\nbatch_max_entries: 12\n");
    const next = await waitFor("the change after the restart", () => changes.find((x) => x.limits.maxEntries === 12));
    assert.ok(next);
    await l.stop();
    c.close();
  });
});

describe("logharbor cluster", () => {
  let etcd: TestEtcd;
  let kv: Etcd3;
  const dirs: Array<{ dispose(): void }> = [];
  before(async () => {
    etcd = await startEtcd();
    kv = etcd.client();
  });
  after(async () => {
    await etcd.dispose();
    for (const d of dirs) d.dispose();
  });

  test("set-config writes a valid file and refuses an invalid one, writing nothing", async () => {
    const d = tempDir();
    dirs.push(d);
    const good = join(d.path, "good.yaml");
    const bad = join(d.path, "bad.yaml");
    writeFileSync(good, "to: https://logs.example.com:8080\nbatch_max_entries: 500\n");
    writeFileSync(bad, "to: ftp://nowhere\nbatch_max_entries: 0\nbufer_max_bytes: 1\n");
    const ok = await runCli(["cluster", "set-config", good, "--etcd", etcd.url, "--etcd-prefix", "/c1"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /wrote \/c1\/config/);
    assert.equal(await kv.get("/c1/config").string(), readFileSync(good, "utf8"));
    const no = await runCli(["cluster", "set-config", bad, "--etcd", etcd.url, "--etcd-prefix", "/c1", "--host", "web-1"]);
    assert.equal(no.code, 2);
    assert.match(no.stderr, /unknown key "bufer_max_bytes"; did you mean "buffer_max_bytes"\?/);
    assert.match(no.stderr, /nothing was written to etcd/);
    assert.equal(await kv.get("/c1/hosts/web-1/config").string(), null);
  });

  test("status lists the agents that report in with their lag; a dead agent stays listed as silent until forgotten, a stopped one as stopped", async () => {
    const regs: AgentRegistration[] = [];
    const agentClients: Etcd3[] = [];
    for (const [i, host] of ["node-a", "node-b", "node-c"].entries()) {
      const c = createEtcdClient({ hosts: [etcd.url] });
      agentClients.push(c);
      const r = new AgentRegistration({
        client: c,
        key: clusterKeys("/c2", host).agent,
        seenKey: clusterKeys("/c2", host).agentSeen,
        ttlSeconds: 2,
        log: silentLogger(),
        report: () => ({ hostname: host, version: "0.1.0", pid: 1000 + i, lag_seconds: i * 1.5, last_error: i === 2 ? "etcd /c2/config: unknown key" : null, config: "etcd", started_at: new Date().toISOString() }),
      });
      await r.start();
      regs.push(r);
    }
    const json = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    assert.equal(json.code, 0, json.stderr);
    const agents = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { hostname: string; lag_seconds: number });
    assert.deepEqual(agents.map((a) => [a.hostname, a.lag_seconds]), [["node-a", 0], ["node-b", 1.5], ["node-c", 3]]);
    const table = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    assert.match(table.stdout, /^HOST\s+STATE\s+VERSION\s+LAG/);
    assert.match(table.stdout, /node-b\s+live\s+0\.1\.0\s+1\.5s/);
    assert.match(table.stdout, /node-c .*etcd \/c2\/config: unknown key/);
    // node-b dies without a word: its client goes away, the lease is no longer kept alive.
    agentClients[1]!.close();
    await waitFor("node-b's lease to expire", async () => ((await kv.get("/c2/agents/node-b").string()) === null ? true : undefined), 20000);
    // node-c stops cleanly: its key goes at once.
    await regs[2]!.stop();
    assert.equal(await kv.get("/c2/agents/node-c").string(), null);
    const after = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    // The dead one first: it needs attention; it keeps its last report (lag, error) as it was.
    assert.deepEqual(after.stdout.trim().split("\n").map((l) => { const a = JSON.parse(l) as { hostname: string; state: string; lag_seconds: number }; return [a.hostname, a.state, a.lag_seconds]; }), [["node-b", "silent", 1.5], ["node-a", "live", 0], ["node-c", "stopped", 3]]);
    const silentTable = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    assert.match(silentTable.stdout, /node-b\s+SILENT since \S+/);
    const forgot = await runCli(["cluster", "forget", "node-b", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    assert.equal(forgot.code, 0, forgot.stderr);
    const again = await runCli(["cluster", "forget", "node-b", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no agent named "node-b"/);
    const left = await runCli(["cluster", "status", "--json", "--etcd", etcd.url, "--etcd-prefix", "/c2"]);
    assert.deepEqual(left.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { hostname: string }).hostname), ["node-a", "node-c"]);
    await regs[0]!.stop();
    await regs[1]!.stop();
    for (const c of agentClients) c.close();
  });
});
