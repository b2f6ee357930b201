import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../../server/testing.js";
import { runCli } from "../../../test/harness/processes.js";
import { loadFixture, T0_US } from "../../server/query/execute/fixture.js";

const FROM = "2024-01-01T00:00:00Z";
const TO = String(T0_US / 1000 + 10 * 60_000);

/** `logharbor ARGS --server URL` against the test server, to its end. */
const cli = (s: TestServer, args: string[]) => runCli([...args, "--server", s.url], { NO_COLOR: "1" });

test("query prints statistics as a table, as one JSON document, or as tab-separated lines", async () => {
  const s = await startTestServer();
  try {
    loadFixture(s.store);
    const range = ["--from", FROM, "--to", TO];
    const table = await cli(s, ["query", "groupby(host) calculate(count)", ...range]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^host\s+count\s*\napp-1\s+5\s+█{40}\nweb-1\s+3\s+█+/);
    assert.match(table.stdout, /count: 10 over 10 events/);
    const json = await cli(s, ["query", "where(ms>0) calculate(percentile(95):ms)", ...range, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { type: string; statistics: { value: number } };
    assert.equal(doc.type, "statistics");
    assert.equal(doc.statistics.value, 46.5);
    const raw = await cli(s, ["query", "groupby(unit)", ...range, "--raw", "--log", "web,app"]);
    assert.equal(raw.stdout, "app.service\t5\nnginx.service\t5\n");
    const events = await cli(s, ["query", "where(status>=500)", ...range, "--raw"]);
    assert.equal(events.stdout, "GET /b status=500 ms=30\nPOST /a status=503 ms=50\n");
  } finally {
    await s.stop();
  }
});

test("query exits 2 on a bad query or a calculation on text, 1 when the server is unreachable", async () => {
  const s = await startTestServer();
  try {
    loadFixture(s.store);
    const bad = await cli(s, ["query", "groupby(host,)", "--from", FROM]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /column 14/);
    const text = await cli(s, ["query", "calculate(sum:host)", "--from", FROM]);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /calculate\(sum:host\) at column 15/);
  } finally {
    await s.stop();
  }
  const gone = await cli(s, ["query", "x"]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /cannot reach the server/);
});
