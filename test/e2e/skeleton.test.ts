// The walking skeleton end to end, with real processes: real journal files (systemd-journal-remote),
// read through the real gatewayd and the real journalctl by `logharbor ship`, stored by
// `logharbor serve`, found again with `logharbor query`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateEntries } from "../../src/demo/generator.js";
import type { ExportField } from "../../src/core/journal/export-encoder.js";
import { startGatewayd, writeJournal, type Gatewayd } from "../harness/journal.js";
import { tempDir } from "../harness/paths.js";
import { runCli, startCli, startServe, waitFor, type Serve } from "../harness/processes.js";

const GENERATED = 9_996;
const TOTAL = GENERATED + 4;
const END_US = Date.UTC(2026, 0, 15, 12, 0, 0) * 1000;
const SPAN_US = 3600 * 1e6;
const BINARY = Buffer.from([0x00, 0x01, 0x0a, 0xff, 0xfe, 0x0a, 0x7f]);
const INVALID_UTF8 = Buffer.concat([Buffer.from("bad bytes: "), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(" end")]);
const BIG = `big:${"0123456789abcdef".repeat(131_072)}`; // 2 MiB + 4

function special(seq: string, fields: ExportField[]): ExportField[] {
  return [
    ["__REALTIME_TIMESTAMP", String(END_US - 1000)],
    ["__MONOTONIC_TIMESTAMP", String(9_000_000_000 + Number(seq.length))],
    ["_BOOT_ID", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ["_HOSTNAME", "node-special"],
    ["PRIORITY", "5"],
    ["SYSLOG_IDENTIFIER", "fixture"],
    ["E2E_CASE", seq],
    ...fields,
  ];
}

const SPECIALS: ExportField[][] = [
  special("binary", [["MESSAGE", "an entry with a binary field"], ["BLOB", BINARY]]),
  special("big", [["MESSAGE", BIG]]),
  special("utf8", [["MESSAGE", "Grüße, 世界 — naïve café ✓"]]),
  special("invalid", [["MESSAGE", INVALID_UTF8]]),
];

function* journalEntries(): Generator<ExportField[]> {
  yield* generateEntries({ count: GENERATED, hosts: 3, seed: 7, endUs: END_US - SPAN_US / 2, spanUs: SPAN_US / 2 });
  yield* SPECIALS;
}

/** Messages of the generated entries, for hand-checked answers. */
function generatedMessages(): string[] {
  const out: string[] = [];
  for (const e of generateEntries({ count: GENERATED, hosts: 3, seed: 7, endUs: END_US - SPAN_US / 2, spanUs: SPAN_US / 2 })) {
    const m = e.find(([n]) => n === "MESSAGE")?.[1];
    out.push(typeof m === "string" ? m : m!.toString("utf8"));
  }
  return out;
}

interface EventJson {
  message: string;
  host: string | null;
  fields: Record<string, unknown>;
}

let t: { path: string; dispose: () => void };
let serve: Serve;
let gw: Gatewayd;
let journalDir: string;

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const r = await fetch(serve.url + path, init);
  const body = (await r.json()) as T;
  assert.equal(r.status < 300, true, `${path}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

async function count(log: string): Promise<number> {
  const { logs } = await api<{ logs: { name: string; events: number }[] }>("/api/v1/logs");
  return logs.find((l) => l.name === log)?.events ?? 0;
}

async function createLog(name: string): Promise<string> {
  const r = await runCli(["logs", "create", name, "--quiet", "--server", serve.url]);
  assert.equal(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  assert.match(token, /^[0-9a-f-]{36}$/, "--quiet prints the token alone");
  return token;
}

async function eventsOf(log: string, q: string): Promise<EventJson[]> {
  const p = new URLSearchParams({ q, log, limit: "100" });
  return (await api<{ events: EventJson[] }>(`/api/v1/events?${p}`)).events;
}

before(async () => {
  t = tempDir();
  journalDir = join(t.path, "journal");
  writeJournal(journalDir, journalEntries());
  serve = await startServe(join(t.path, "data"));
  gw = await startGatewayd(journalDir);
});

after(async () => {
  await gw?.stop();
  await serve?.stop();
  t?.dispose();
});

for (const via of ["gatewayd", "journalctl"] as const) {
  test(`ships all ${TOTAL} entries of 3 hosts through ${via}, every field intact`, async () => {
    const log = `via-${via}`;
    const token = await createLog(log);
    const journal = via === "gatewayd" ? ["--journal", `gatewayd:${gw.socket}`] : ["--journal", "journalctl", "--journal-dir", journalDir];
    const r = await runCli(["ship", ...journal, "--to", serve.url, "--token", token, "--state", join(t.path, `state-${via}`), "--start-at", "oldest", "--exit-when-idle", "--log-level", "warn"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await count(log), TOTAL);

    const hosts = new Set<string>();
    for (const h of ["node-1", "node-2", "node-3"]) if ((await eventsOf(log, `where(host=${h})`)).length > 0) hosts.add(h);
    assert.equal(hosts.size, 3, "entries of all three hosts");

    const [bin] = await eventsOf(log, "where(E2E_CASE=binary)");
    assert.deepEqual(bin!.fields["BLOB"], { base64: BINARY.toString("base64") }, "a binary field keeps its bytes");
    const [big] = await eventsOf(log, "where(E2E_CASE=big)");
    assert.equal(big!.message, BIG, "a 2 MiB message arrives whole");
    const [utf8] = await eventsOf(log, "where(E2E_CASE=utf8)");
    assert.equal(utf8!.message, "Grüße, 世界 — naïve café ✓");
    const [invalid] = await eventsOf(log, "where(E2E_CASE=invalid)");
    assert.equal(invalid!.message, INVALID_UTF8.toString("utf8"), "invalid UTF-8 is made readable");
    assert.deepEqual(invalid!.fields["MESSAGE"], { base64: INVALID_UTF8.toString("base64") }, "and its raw bytes are kept");
  });
}

test("logharbor query finds exactly the entries with a keyword, as NDJSON", async () => {
  const want = generatedMessages().filter((m) => /(^|[^\p{L}\p{N}])timeout([^\p{L}\p{N}]|$)/iu.test(m)).length;
  assert.ok(want > 0, "the generated journal holds timeouts");
  const r = await runCli(["query", "where(timeout)", "--log", "via-gatewayd", "--from", String((END_US - SPAN_US) / 1000), "--to", String(END_US / 1000), "--all", "--json", "--server", serve.url]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as EventJson);
  assert.equal(lines.length, want);
  for (const e of lines) assert.match(e.message, /timeout/i);
});

test("entries appended while following arrive within 2 s, and a restarted agent resumes with no loss and no duplicate", async () => {
  const dir = join(t.path, "follow-journal");
  const first: ExportField[][] = [...generateEntries({ count: 500, hosts: 3, seed: 11, endUs: END_US, spanUs: SPAN_US })];
  writeJournal(dir, first);
  const token = await createLog("follow");
  const state = join(t.path, "state-follow");
  const args = ["ship", "--journal", "journalctl", "--journal-dir", dir, "--to", serve.url, "--token", token, "--state", state, "--start-at", "oldest", "--batch-max-ms", "100", "--log-level", "warn"];
  let agent = startCli(args);
  await waitFor("the first 500 entries", async () => (await count("follow")) === 500 || undefined, 30_000);

  const more = (seed: number) => [...generateEntries({ count: 50, hosts: 3, seed, endUs: END_US + SPAN_US, spanUs: SPAN_US / 2 })];
  writeJournal(dir, more(12));
  const appended = Date.now();
  await waitFor("the 50 appended entries", async () => (await count("follow")) === 550 || undefined, 10_000);
  assert.ok(Date.now() - appended <= 2000, `appended entries took ${Date.now() - appended} ms to become searchable`);

  assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
  writeJournal(dir, more(13)); // written while no agent runs
  agent = startCli(args);
  await waitFor("the entries written while stopped", async () => (await count("follow")) >= 600 || undefined, 30_000);
  writeJournal(dir, more(14));
  await waitFor("the entries written after the restart", async () => (await count("follow")) >= 650 || undefined, 30_000);
  assert.equal(await agent.stop("SIGTERM"), 0, agent.stderr());
  assert.equal(await count("follow"), 650, "no entry lost, none stored twice");
  assert.match(agent.stdout(), /\b0 duplicates?\b/, `the server reported no duplicate: ${agent.stdout()}`);
});

test("a wrong token is refused with a clear error and nothing is stored", async () => {
  const before = (await api<{ logs: { events: number }[] }>("/api/v1/logs")).logs.reduce((a, l) => a + l.events, 0);
  const r = await runCli(["ship", "--journal", "journalctl", "--journal-dir", journalDir, "--to", serve.url, "--token", "00000000-0000-4000-8000-000000000000", "--state", join(t.path, "state-bad"), "--start-at", "oldest", "--exit-when-idle", "--log-level", "warn"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /LH_ERR_TOKEN_UNKNOWN|token/i);
  assert.doesNotMatch(r.stderr + r.stdout, /00000000-0000-4000-8000-000000000000/, "the token is not logged");
  const afterCount = (await api<{ logs: { events: number }[] }>("/api/v1/logs")).logs.reduce((a, l) => a + l.events, 0);
  assert.equal(afterCount, before);
});

test("a malformed batch gets 400 naming the problem", async () => {
  const token = await createLog("malformed");
  const r = await fetch(`${serve.url}/api/v1/ingest/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" },
    body: "MESSAGE=fine\nnot a field\n\n",
  });
  assert.equal(r.status, 400);
  const body = (await r.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "LH_ERR_EXPORT_FORMAT");
  assert.match(body.error.message, /field name/);
  assert.equal(await count("malformed"), 0);
});

for (const bad of ["", "garbage", "gatewayd:", "journalctl:x"]) {
  test(`--journal ${JSON.stringify(bad)} gets a one-line error naming the accepted forms`, async () => {
    const r = await runCli(["ship", "--journal", bad, "--to", serve.url, "--token", "x", "--state", join(t.path, "state-x"), "--check"]);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /gatewayd:\/\S+.*gatewayd:http:\/\//);
    assert.match(lines[0]!, /journalctl/);
  });
}
