// Catastrophic regular expressions against a real server: in a live tail, in a query with a budget,
// and with SIGTERM arriving mid-query. Every user regex runs on RE2 (linear time), so the server
// keeps answering /healthz and ingest while the attack runs; nothing here is timed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { healthy, ingestLine, postJson, startTarget, stored } from "../harness/hostile.js";

const EVIL = `${"a".repeat(32)}b`;

test("a live tail with /(a+)+$/ does not freeze the server: /healthz and ingest are answered while it matches", { timeout: 180_000 }, async () => {
  const t = await startTarget();
  const ac = new AbortController();
  try {
    const tail = await fetch(`${t.serve.url}/api/v1/tail?query=${encodeURIComponent("where(/(a+)+$/)")}`, { signal: ac.signal });
    const reader = tail.body!.getReader();
    let seen = "";
    while (!seen.includes(": ready")) seen += new TextDecoder().decode((await reader.read()).value);
    // The attack: lines that make a backtracking engine take minutes each.
    for (let i = 0; i < 5; i++) assert.equal(await ingestLine(t, EVIL), 204);
    // While the tail matches them, everyone else is answered.
    assert.ok(await healthy(t));
    assert.equal(await ingestLine(t, "probe after the attack"), 204);
    await stored(t, "probe after the attack");
    assert.ok(await healthy(t));
  } finally {
    ac.abort();
    await t.stop();
  }
});

test("a query with /(a+)+$/ answers within its budget while other queries, ingest and /healthz go on, and SIGTERM stops the server promptly", { timeout: 180_000 }, async () => {
  const t = await startTarget();
  try {
    for (let i = 0; i < 35; i++) assert.equal(await ingestLine(t, EVIL), 204);
    await stored(t, EVIL);
    const evil = () => postJson(`${t.serve.url}/api/v1/query`, { q: "where(/(a+)+$/)", budget_ms: 2000 });
    // Two at once: with a backtracking engine they held both query threads, and every other query timed out.
    const attacks = [evil(), evil()];
    const other = await postJson(`${t.serve.url}/api/v1/query`, { q: "where(probe) calculate(count)" });
    assert.equal(other.status, 200);
    assert.ok(await healthy(t));
    assert.equal(await ingestLine(t, "probe during the attack"), 204);
    for (const a of await Promise.all(attacks)) {
      assert.equal(a.status, 200, JSON.stringify(a.json));
      assert.deepEqual(a.json["events"], [], "no line ends in a's only");
    }
    // SIGTERM with an attack in flight: the server exits by itself (0), not after the harness's SIGKILL.
    void evil().catch(() => {});
    void evil().catch(() => {});
    assert.equal(await t.serve.stop("SIGTERM"), 0);
  } finally {
    await t.stop();
  }
});

test("a regex RE2 cannot express is refused with 400 naming the construct and the dialect", { timeout: 120_000 }, async () => {
  const t = await startTarget();
  try {
    const table: Array<[string, RegExp]> = [
      ["where(/(\\w+) \\1/)", /a backreference \\1 at column 14 is not supported .*RE2 syntax \(as in ClickHouse/],
      ["where(/foo(?=bar)/)", /a lookahead \(\?=\.\.\.\) at column 11/],
      ["where(/(?<=x)y/)", /a lookbehind/],
    ];
    for (const [q, message] of table) {
      const r = await postJson(`${t.serve.url}/api/v1/query`, { q });
      assert.equal(r.status, 400, q);
      assert.equal(r.json.error?.code, "LH_ERR_QUERY_SYNTAX");
      assert.match(r.json.error!.message, message);
      const tail = await fetch(`${t.serve.url}/api/v1/tail?query=${encodeURIComponent(q)}`);
      assert.equal(tail.status, 400, `tail ${q}`);
      assert.equal(((await tail.json()) as { error: { code: string } }).error.code, "LH_ERR_QUERY_SYNTAX");
    }
  } finally {
    await t.stop();
  }
});
