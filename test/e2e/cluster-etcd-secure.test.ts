// A secured etcd, for real: served over TLS with client certificates required (certificates made by
// openssl), and with user/password auth enabled by etcdctl. The agent and `logharbor cluster` reach
// it with --etcd-ca-file / --etcd-cert-file / --etcd-key-file and --etcd-user + LOGHARBOR_ETCD_PASSWORD;
// the wrong CA, no client certificate, no user or a wrong password are refused with a clear error;
// the password is never printed or logged.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startAckReceiver, type AckReceiver } from "../harness/ack-receiver.js";
import { startEtcd, type TestEtcd } from "../harness/etcd.js";
import { writeJournal } from "../harness/journal.js";
import { realisticEntries } from "../harness/journal-entries.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, waitFor, type Running } from "../harness/processes.js";
import { makeTestCa, type TestCa } from "../harness/tls-ca.js";

const t = tempDir();
let recv: AckReceiver;
before(async () => (recv = await startAckReceiver()));
after(async () => {
  await recv.close();
  t.dispose();
});

/** Ships a 200-entry journal through `args` (etcd flags included) and stops it with one SIGTERM. */
async function shipAndStop(name: string, prefix: string, args: string[], env: NodeJS.ProcessEnv, statusArgs: string[]): Promise<Running> {
  const dir = join(t.path, name, "journal");
  writeJournal(dir, [...realisticEntries(0, 200)].map((e) => [...e, ["TEST_RUN", name] as [string, string]]));
  const agent = startCli(["ship", ...args, "--etcd-prefix", prefix, "--hostname", name, "--journal", "journalctl", "--journal-dir", dir, "--state", join(t.path, name, "state"), "--log-level", "debug"], { LOGHARBOR_TOKEN: "", ...env });
  try {
    await waitFor("the journal to be shipped", () => {
      if (agent.child.exitCode !== null) throw new Error(`ship exited ${agent.child.exitCode}: ${agent.stderr()}`);
      return recv.stored.filter((e) => e.get("TEST_RUN") === name).length === 200 ? true : undefined;
    }, 30_000);
    const s = await runCli(["cluster", "status", "--json", ...statusArgs, "--etcd-prefix", prefix], env);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(s.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { hostname: string; config: string }).hostname), [name], "the agent reports in");
  } finally {
    assert.equal(await agent.stop(), 0, agent.stderr());
  }
  return agent;
}

describe("etcd over TLS with client certificates", () => {
  let ca: TestCa;
  let etcd: TestEtcd;
  before(async () => {
    const d = tempDir("logharbor-ca-");
    ca = makeTestCa(d.path);
    etcd = await startEtcd({ tls: { ca: ca.ca, serverCert: ca.serverCert, serverKey: ca.serverKey, clientCertAuth: true, clientCert: ca.clientCert, clientKey: ca.clientKey } });
  });
  after(async () => etcd.dispose());

  const tlsArgs = (): string[] => ["--etcd", etcd.url, "--etcd-ca-file", ca.ca, "--etcd-cert-file", ca.clientCert, "--etcd-key-file", ca.clientKey];

  test("set-config, ship --check, a running agent and cluster status all work with the CA and a client certificate", async () => {
    assert.match(etcd.url, /^https:/);
    const file = join(t.path, "tls.yaml");
    writeFileSync(file, `to: ${recv.url}\ntoken: tls-token\nstart_at: oldest\nbatch_max_entries: 70\n`);
    const set = await runCli(["cluster", "set-config", file, ...tlsArgs(), "--etcd-prefix", "/tls"]);
    assert.equal(set.code, 0, set.stderr);
    const check = await runCli(["ship", "--check", ...tlsArgs(), "--etcd-prefix", "/tls", "--hostname", "tls-1", "--journal", "journalctl", "--state", join(t.path, "tls-check")]);
    assert.equal(check.code, 0, check.stderr);
    const shown = JSON.parse(check.stdout) as Record<string, unknown>;
    assert.equal(shown["batch_max_entries"], 70);
    assert.equal(shown["from"], "etcd");
    await shipAndStop("tls-agent", "/tls", tlsArgs(), {}, tlsArgs());
  });

  test("an untrusted CA, or no client certificate, is refused with a clear error", async () => {
    const wrongCa = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-ca-file", ca.otherCa, "--etcd-cert-file", ca.clientCert, "--etcd-key-file", ca.clientKey, "--etcd-prefix", "/tls"]);
    assert.equal(wrongCa.code, 1);
    assert.match(wrongCa.stderr, new RegExp(`etcd at ${etcd.url} did not answer: .*unable to verify the first certificate`));
    const noCert = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-ca-file", ca.ca, "--etcd-prefix", "/tls"]);
    assert.equal(noCert.code, 1);
    assert.match(noCert.stderr, new RegExp(`etcd at ${etcd.url} did not answer: .*bad certificate`), "etcd refuses a client without a certificate");
    const half = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-ca-file", ca.ca, "--etcd-cert-file", ca.clientCert, "--etcd-prefix", "/tls"]);
    assert.equal(half.code, 2);
    assert.match(half.stderr, /--etcd-cert-file and --etcd-key-file: give both or neither/);
    const missing = await runCli(["cluster", "status", "--etcd", etcd.url, "--etcd-ca-file", join(t.path, "nope.pem"), "--etcd-prefix", "/tls"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--etcd-ca-file: expected a PEM file, got ".*nope\.pem" \(not found\)/);
  });
});

describe("etcd with user/password auth", () => {
  let etcd: TestEtcd;
  const PASSWORD = "s3cret-etcd-password";
  before(async () => {
    etcd = await startEtcd();
    // A user that may touch logharbor's keys under /auth and read the Logentries token key, nothing else.
    await etcd.enableAuth([{ name: "agent", password: PASSWORD, readwrite: ["/auth/"], read: ["/logentries.com/token"] }]);
  });
  after(async () => etcd.dispose());

  test("the agent and the cluster commands authenticate with --etcd-user and LOGHARBOR_ETCD_PASSWORD; the password is never printed or logged", async () => {
    const env = { LOGHARBOR_ETCD_PASSWORD: PASSWORD };
    const file = join(t.path, "auth.yaml");
    writeFileSync(file, `to: ${recv.url}\ntoken: auth-token\nstart_at: oldest\nbatch_max_entries: 80\n`);
    const args = ["--etcd", etcd.url, "--etcd-user", "agent"];
    const set = await runCli(["cluster", "set-config", file, ...args, "--etcd-prefix", "/auth"], env);
    assert.equal(set.code, 0, set.stderr);
    const check = await runCli(["ship", "--check", ...args, "--etcd-prefix", "/auth", "--hostname", "auth-1", "--journal", "journalctl", "--state", join(t.path, "auth-check")], env);
    assert.equal(check.code, 0, check.stderr);
    assert.equal((JSON.parse(check.stdout) as Record<string, unknown>)["batch_max_entries"], 80);
    const agent = await shipAndStop("auth-agent", "/auth", args, env, args);
    for (const out of [set.stdout, set.stderr, check.stdout, check.stderr, agent.stdout(), agent.stderr()]) {
      assert.ok(!out.includes(PASSWORD), "the password is never printed or logged");
    }
  });

  test("no user, a wrong password, a missing password or a key outside the user's role is refused with a clear error", async () => {
    const file = join(t.path, "auth2.yaml");
    writeFileSync(file, "batch_max_entries: 90\n");
    const anonymous = await runCli(["cluster", "set-config", file, "--etcd", etcd.url, "--etcd-prefix", "/auth"]);
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /did not answer: .*(user name is empty|permission denied)/i);
    const wrong = await runCli(["cluster", "set-config", file, "--etcd", etcd.url, "--etcd-user", "agent", "--etcd-prefix", "/auth"], { LOGHARBOR_ETCD_PASSWORD: "not-the-password" });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /authentication failed/i);
    assert.ok(!wrong.stderr.includes("not-the-password"), "not even a wrong password is printed");
    const none = await runCli(["cluster", "set-config", file, "--etcd", etcd.url, "--etcd-user", "agent", "--etcd-prefix", "/auth"], { LOGHARBOR_ETCD_PASSWORD: "" });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--etcd-user: set the password in LOGHARBOR_ETCD_PASSWORD/);
    const outside = await runCli(["cluster", "set-config", file, "--etcd", etcd.url, "--etcd-user", "agent", "--etcd-prefix", "/elsewhere"], { LOGHARBOR_ETCD_PASSWORD: PASSWORD });
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /permission denied/i);
    assert.equal(etcd.etcdctl(["get", "/elsewhere/config", "--print-value-only"]).trim(), "", "nothing was written");
  });
});
