// Storage faults against a real server (issue 14, item 8): a full disk is named (507
// LH_ERR_STORAGE_FULL) on every ingest path, /readyz fails while writes fail and recovers by itself,
// token TCP lines are held back rather than lost; a start on a full disk or a damaged database
// stops with one clear line saying what to do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, openSync, closeSync, writeSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { encodeExportEntry } from "../../src/core/journal/export-encoder.js";
import { call, startTestServer, type TestServer } from "../../src/server/testing.js";
import { metric } from "../harness/ingest.js";
import { tempDir } from "../harness/paths.js";
import { runCli, waitFor } from "../harness/processes.js";
import { tinyDisk } from "../harness/tiny-disk.js";

let next = 0;
function batch(n: number, size = 1000): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const k = next++;
    parts.push(encodeExportEntry([["__REALTIME_TIMESTAMP", String(1_700_000_000_000_000 + k)], ["__SEQNUM", String(k)], ["__SEQNUM_ID", "aa".repeat(16)], ["MESSAGE", `entry ${k} ${"x".repeat(size)}`]]));
  }
  return Buffer.concat(parts);
}

function send(s: TestServer, token: string, body: Buffer) {
  return call(`${s.url}/api/v1/ingest/journal`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" }, body });
}

test("a full disk: 507 LH_ERR_STORAGE_FULL on the batch API and webhooks, /readyz fails, token TCP is held back; everything resumes when space returns", async () => {
  const disk = tinyDisk(24);
  let s: TestServer | undefined;
  try {
    s = await startTestServer({ dataDir: join(disk.path, "data"), ingest: { tcp: "127.0.0.1:0" } });
    const log = s.store.createLog("app");
    assert.equal((await send(s, log.token, batch(10))).status, 200);
    disk.fill();
    // Batches until one meets the full disk (SQLite may have room left in its files for a few).
    let refused: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const a = await send(s, log.token, batch(200));
      if (a.status !== 200) refused = a;
    }
    assert.ok(refused, "the disk filled up");
    assert.equal(refused.status, 507, JSON.stringify(refused.json));
    assert.equal(refused.json.error?.code, "LH_ERR_STORAGE_FULL");
    assert.match(refused.json.error!.message, /disk is full/);
    const ready = await call(`${s.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(ready.json.error?.code, "LH_ERR_STORAGE_FULL");
    const upload = await call(`${s.url}/t/${log.token}/upload`, { method: "POST", headers: { "content-type": "application/vnd.fdo.journal" }, body: batch(200) });
    assert.equal(upload.status, 507, JSON.stringify(upload.json));
    assert.equal(upload.json.error?.code, "LH_ERR_STORAGE_FULL");
    const hook = await call(`${s.url}/noformat/logs/${log.token}`, { method: "POST", body: "while full" });
    assert.equal(hook.status, 507, JSON.stringify(hook.json));
    assert.equal(hook.json.error?.code, "LH_ERR_STORAGE_FULL");

    // Token TCP has no acknowledgement: the lines are not taken (the socket is not read) while full.
    const stored = s.store.count(log.id);
    const sock = connect(s.listeners.tcp!.port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    for (let i = 0; i < 100; i++) sock.write(`${log.token} tcp line ${i}\n`);
    await waitFor("the connection held back", async () => ((await metric(s!, "logharbor_ingest_paused_total", { protocol: "token-tcp" })) >= 1 ? true : undefined));
    assert.equal(await metric(s, "logharbor_ingest_lines_total", { protocol: "token-tcp", result: "rejected" }), 0, "no line taken and lost");

    disk.free();
    await waitFor("/readyz ready again", async () => ((await call(`${s!.url}/readyz`)).status === 200 ? true : undefined), 20_000);
    await waitFor("the 100 TCP lines stored", () => (s!.store.count(log.id) === stored + 100 ? true : undefined), 20_000);
    sock.end();
    assert.equal((await send(s, log.token, batch(10))).status, 200);
    assert.equal((await call(`${s.url}/noformat/logs/${log.token}`, { method: "POST", body: "after" })).status, 204);
  } finally {
    await s?.stop().catch(() => {});
    disk.dispose();
  }
});

test("a start on a full disk stops with one clear line, not a SQLite stack", async () => {
  const disk = tinyDisk(4);
  try {
    const data = join(disk.path, "data");
    mkdirSync(data);
    disk.fill();
    const r = await runCli(["serve", "--data", data, "--http", "127.0.0.1:0", "--tcp", "off"]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^logharbor: .*disk is full.*free space/);
  } finally {
    disk.dispose();
  }
});

/** Overwrites the header of pages `pages` (1-based) of a copy of a database with garbage. */
function damage(file: string, pages: number[], pageSize = 16384): void {
  const fd = openSync(file, "r+");
  try {
    for (const p of pages) writeSync(fd, Buffer.alloc(100, 0xa5), 0, 100, (p - 1) * pageSize + (p === 1 ? 0 : 0));
  } finally {
    closeSync(fd);
  }
}

for (const [what, pages] of [["five interior page headers", [2, 3, 4, 5, 6]], ["the file header", [1]]] as const) {
  test(`refuses to start on a database with ${what} overwritten, saying what to do`, async () => {
    const dir = tempDir();
    try {
      const s = await startTestServer({ dataDir: join(dir.path, "orig") });
      const log = s.store.createLog("app");
      for (let i = 0; i < 5; i++) assert.equal((await send(s, log.token, batch(200))).status, 200);
      await s.close();
      const data = join(dir.path, "copy");
      mkdirSync(data);
      copyFileSync(join(dir.path, "orig", "logharbor.db"), join(data, "logharbor.db"));
      damage(join(data, "logharbor.db"), [...pages]);
      const r = await runCli(["serve", "--data", data, "--http", "127.0.0.1:0", "--tcp", "off"]);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /the database is damaged/);
      assert.match(lines[0]!, /\.recover/);
    } finally {
      dir.dispose();
    }
  });
}
