// logharbor ship to the line protocols, as real processes: journal files made by
// systemd-journal-remote, our own server (`logharbor serve` with its token TLS and syslog TCP
// listeners) and plain receivers that record the raw bytes; the journal-2-logentries drop-in with
// nothing but its environment, following a real gatewayd socket.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeCert, waitFor } from "../harness/ingest.js";
import { startGatewayd, writeJournal } from "../harness/journal.js";
import { realisticEntries, realisticEntry } from "../harness/journal-entries.js";
import { cliArgv, tempDir } from "../harness/paths.js";
import { runCli, startServe, type Running, type Serve } from "../harness/processes.js";
import { startRawStreamReceiver } from "../harness/raw-receiver.js";

interface EventJson {
  host: string | null;
  priority: number | null;
  message: string;
  fields: Record<string, unknown>;
}

/** The port of a listener, from the line serve prints for it (just after its URL line). */
async function listenerPort(s: Serve, protocol: string): Promise<number> {
  const re = new RegExp(`${protocol} listening on [^\\s]+:(\\d+)`);
  await waitFor(`the ${protocol} listener`, () => re.test(s.stdout()));
  return Number(re.exec(s.stdout())![1]);
}

async function createLog(s: Serve, name: string): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) });
  assert.equal(res.status, 201);
  return ((await res.json()) as { log: { token: string } }).log.token;
}

async function events(s: Serve, log: string): Promise<EventJson[]> {
  const res = await fetch(`${s.url}/api/v1/events?log=${log}&order=asc&limit=10000`);
  return ((await res.json()) as { events: EventJson[] }).events;
}

async function eventually(what: string, s: Serve, log: string, n: number): Promise<EventJson[]> {
  let got: EventJson[] = [];
  const end = Date.now() + 30_000;
  while ((got = await events(s, log)).length < n) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}: ${got.length} of ${n}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return got;
}

const MULTI = "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:12";

test("logentries+tls to our server's token TLS listener: each unit in its own log, multi-line messages intact", async () => {
  const t = tempDir();
  const cert = makeCert(t.path);
  const dir = join(t.path, "journal");
  // 100 entries over 5 units (20 each) and one multi-line nginx entry.
  writeJournal(dir, [...realisticEntries(0, 100), realisticEntry(100, [["MESSAGE", MULTI]]).filter(([k], i, all) => k !== "MESSAGE" || all.findIndex(([n]) => n === "MESSAGE") !== i)]);
  const server = await startServe(join(t.path, "data"), ["--tcp", "off", "--tls", "127.0.0.1:0", "--tls-cert", cert.cert, "--tls-key", cert.key]);
  try {
    const port = await listenerPort(server, "token-tls");
    const nginx = await createLog(server, "nginx");
    const sshd = await createLog(server, "sshd");
    const rest = await createLog(server, "rest");
    const r = await runCli([
      "ship", "--journal", "journalctl", "--journal-dir", dir, "--start-at", "oldest", "--exit-when-idle", "--state", join(t.path, "state"),
      "--to", `logentries+tls://localhost:${port}`, "--ca-file", cert.cert, "--token", rest,
      "--token-map", `unit:nginx.service=${nginx}`, "--token-map", `identifier:sshd=${sshd}`, "--log-level", "warn",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(![nginx, sshd, rest].some((tok) => r.stdout.includes(tok) || r.stderr.includes(tok)), "no token in our output");
    const inNginx = await eventually("nginx's 21 events", server, "nginx", 21);
    const inSshd = await eventually("sshd's 20 events", server, "sshd", 20);
    const inRest = await eventually("the other 60 events", server, "rest", 60);
    await new Promise((res) => setTimeout(res, 300));
    assert.equal((await events(server, "nginx")).length, 21, "nothing more arrives");
    assert.ok(inNginx.every((e) => e.message === MULTI || e.message.startsWith("nginx[")));
    assert.ok(inNginx.some((e) => e.message === MULTI), "the multi-line message arrives as one event, newlines intact");
    assert.ok(inSshd.every((e) => e.message.startsWith("sshd[")));
    assert.deepEqual(new Set(inRest.map((e) => e.message.split("[")[0])), new Set(["docker", "kubelet", "cron"]));
  } finally {
    await server.stop();
    t.dispose();
  }
});

test("syslog+tcp to our server's syslog listener: host, app, priority and the journal fields as structured data", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  writeJournal(dir, realisticEntries(0, 50));
  const server = await startServe(join(t.path, "data"), ["--tcp", "off", "--syslog-tcp", "127.0.0.1:0", "--syslog-default-log", "syslog"]);
  try {
    const port = await listenerPort(server, "syslog-tcp");
    const r = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--start-at", "oldest", "--exit-when-idle", "--state", join(t.path, "state"), "--to", `syslog+tcp://127.0.0.1:${port}`, "--log-level", "warn"]);
    assert.equal(r.code, 0, r.stderr);
    const got = await eventually("50 events", server, "syslog", 50);
    for (let i = 0; i < 50; i++) {
      const want = new Map(realisticEntry(i).map(([k, v]) => [k, String(v)]));
      const e = got.find((x) => (x.fields["journal@32473"] as Record<string, string> | undefined)?.["SEQ"] === String(i))!;
      assert.ok(e, `entry ${i} arrived`);
      assert.equal(e.host, "node-7.cluster.example");
      assert.equal(e.message, want.get("MESSAGE"));
      assert.equal(e.priority, Number(want.get("PRIORITY")));
      assert.equal(e.fields["SYSLOG_IDENTIFIER"], want.get("SYSLOG_IDENTIFIER"));
      assert.equal(e.fields["SYSLOG_FACILITY"], "3");
      assert.equal(e.fields["SYSLOG_PID"], want.get("_PID"));
      const sd = e.fields["journal@32473"] as Record<string, string>;
      assert.equal(sd["_SYSTEMD_UNIT"], want.get("_SYSTEMD_UNIT"));
      assert.equal(sd["_BOOT_ID"], want.get("_BOOT_ID"));
      assert.ok(typeof sd["__CURSOR"] === "string" && sd["__CURSOR"].length > 0, "the cursor travels in the structured data");
    }
  } finally {
    await server.stop();
    t.dispose();
  }
});

test("syslog+tcp to a raw receiver: RFC 5424 messages with octet counting, byte for byte", async () => {
  const t = tempDir();
  const dir = join(t.path, "journal");
  writeJournal(dir, realisticEntries(0, 20));
  const recv = await startRawStreamReceiver();
  try {
    const r = await runCli(["ship", "--journal", "journalctl", "--journal-dir", dir, "--start-at", "oldest", "--exit-when-idle", "--state", join(t.path, "state"), "--to", `syslog+tcp://127.0.0.1:${recv.port}`, "--log-level", "warn"]);
    assert.equal(r.code, 0, r.stderr);
    await waitFor("20 messages", () => (recv.all().toString().match(/<\d+>1 /g) ?? []).length >= 20);
    const bytes = recv.all();
    let at = 0;
    for (let i = 0; i < 20; i++) {
      const sp = bytes.indexOf(32, at);
      const len = Number(bytes.toString("latin1", at, sp));
      const msg = bytes.subarray(sp + 1, sp + 1 + len).toString("utf8");
      at = sp + 1 + len;
      const e = new Map(realisticEntry(i).map(([k, v]) => [k, String(v)]));
      const ts = new Date(1_700_000_000_000 + i).toISOString().slice(0, 23) + "000Z";
      const head = `<${3 * 8 + Number(e.get("PRIORITY"))}>1 ${ts} node-7.cluster.example ${e.get("SYSLOG_IDENTIFIER")} ${e.get("_PID")} - [journal@32473 __CURSOR="`;
      assert.ok(msg.startsWith(head), `message ${i}: ${msg.slice(0, 160)}`);
      assert.ok(msg.includes(` _SYSTEMD_UNIT="${e.get("_SYSTEMD_UNIT")}"`) && msg.includes(` SEQ="${i}"]`));
      assert.ok(msg.endsWith(`] ${e.get("MESSAGE")}`), `message ${i} ends with its MESSAGE`);
    }
    assert.equal(at, bytes.length, "nothing but octet-counted frames");
  } finally {
    await recv.close();
    t.dispose();
  }
});

/** `logharbor ship` with no arguments in cwd, with exactly this environment added (LOGENTRIES_* and LOGHARBOR_* cleared first). */
function startDropIn(cwd: string, env: NodeJS.ProcessEnv): Running {
  const [cmd, ...pre] = cliArgv();
  const clean = { ...process.env };
  for (const k of Object.keys(clean)) if (k.startsWith("LOGENTRIES_") || k.startsWith("LOGHARBOR_")) delete clean[k];
  // Run from another directory, `--import tsx` must name the loader by its location.
  const args = pre.map((a) => (a === "tsx" ? import.meta.resolve("tsx") : a));
  const child = spawn(cmd!, [...args, "ship"], { cwd, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((res) => child.once("exit", (c, s) => res(c ?? s ?? -1)));
  return {
    child, exited, stdout: () => out, stderr: () => err,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

test("drop-in for journal-2-logentries: with only LOGENTRIES_* set, follows gatewayd and ships over TLS, resuming after its cursor", async () => {
  const t = tempDir();
  const cert = makeCert(t.path);
  const dir = join(t.path, "journal");
  const TOKEN = "2bfbea1e-10c3-4419-bdfc-b47b1b2a3e1f";
  writeJournal(dir, realisticEntries(0, 30));
  const gw = await startGatewayd(dir);
  const recv = await startRawStreamReceiver({ cert });
  // LOGHARBOR_STATE only because the tests may run as root, whose default is /var/lib/logharbor.
  const state = join(t.path, "state");
  const env = { LOGENTRIES_TOKEN: TOKEN, LOGENTRIES_URL: `localhost:${recv.port}`, LOGENTRIES_JOURNAL_SOCKET: gw.socket, NODE_EXTRA_CA_CERTS: cert.cert, LOGHARBOR_STATE: state };
  const lines = () => recv.all().toString("utf8").split("\n").filter((l) => l !== "");
  try {
    const first = startDropIn(t.path, env);
    await waitFor("30 lines", () => lines().length >= 30, 60_000);
    assert.equal(await first.stop(), 0, first.stderr());
    assert.ok(existsSync(join(state, "checkpoint.json")), "the cursor is kept in the state directory");
    const got = lines();
    assert.equal(got.length, 30);
    for (let i = 0; i < 30; i++) {
      const e = new Map<string, string>(realisticEntry(i).map(([k, v]) => [k, String(v)] as [string, string]));
      // journal-2-logentries forwarded gatewayd's text/plain lines: "Mmm dd hh:mm:ss host ident[pid]: message".
      const want = new RegExp(`^${TOKEN} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d node-7\\.cluster\\.example ${e.get("SYSLOG_IDENTIFIER")}\\[${e.get("_PID")}\\]: `);
      assert.match(got[i]!, want);
      assert.ok(got[i]!.endsWith(`: ${e.get("MESSAGE")}`), got[i]);
    }

    writeJournal(dir, realisticEntries(30, 10));
    const second = startDropIn(t.path, env);
    await waitFor("10 more lines", () => lines().length >= 40, 60_000);
    assert.equal(await second.stop(), 0, second.stderr());
    const after = lines().slice(30);
    assert.equal(after.length, 10, "only the new entries: nothing twice");
    assert.ok(after[0]!.endsWith(`: ${String(realisticEntry(30).find(([k]) => k === "MESSAGE")![1])}`));
    assert.ok(!first.stderr().includes(TOKEN) && !second.stderr().includes(TOKEN), "the token is never logged");
  } finally {
    await gw.stop();
    await recv.close();
    t.dispose();
  }
});

test("drop-in without LOGENTRIES_TOKEN: journal-2-logentries' one-line error, exit 2", async () => {
  const t = tempDir();
  try {
    const r = startDropIn(t.path, {});
    const code = await r.exited;
    await new Promise((res) => setTimeout(res, 10));
    assert.equal(code, 2);
    assert.deepEqual(r.stderr().trim().split("\n"), [
      "logharbor ship: non-empty input token (LOGENTRIES_TOKEN) is required. See https://logentries.com/doc/input-token (or give --to URL for another destination)",
    ]);
  } finally {
    t.dispose();
  }
});
