import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { ServerMetrics } from "../../metrics.js";
import { SqliteStore } from "../../storage/sqlite/sqlite-store.js";
import { EventBatcher } from "../common/batcher.js";
import { TokenResolver } from "../common/token-resolver.js";
import { WriteQueue } from "../common/write-queue.js";
import { TokenLineHandler } from "./handler.js";
import { parseTokenLine } from "./token-line.js";

// The handler reads the common strict-mode line from its bytes; every line must come out exactly as
// the general parser (token-line.ts) reads it.
test("strict token lines read from their bytes are stored exactly as the general parser reads them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-handler-"));
  const store = SqliteStore.open(dir);
  try {
    const log = store.createLog("a");
    const T = log.token;
    const U = "11111111-2222-4333-8444-555555555555";
    const lines: Array<string | Buffer> = [
      `${T} hello`, `${T} a\u2028b\u2028c`, T, `${T} `, `${T}\tTAB`, `${T}\u000bVT`, `${T}  two spaces`,
      `${T.toUpperCase()} upper`, `${T}\u00a0nbsp`, `${T}\u2028sep`, `${T}x glued`, `${U} unknown`, ` ${T} leading`,
      "   ", "", "no token", `${T.slice(0, 35)} short`, `${T} ünïcødé ✓`,
      Buffer.concat([Buffer.from(`${T} caf`), Buffer.from([0xe9]), Buffer.from(" ok")]),
    ];
    const known = (t: string) => t.toLowerCase() === T;
    const want = lines.flatMap((l) => {
      const p = parseTokenLine(Buffer.isBuffer(l) ? l.toString("utf8") : l, false, known);
      return p.ok && known(p.token) ? [p.message] : [];
    });
    assert.ok(want.length >= 10, "the table holds mostly good lines");

    const metrics = new ServerMetrics();
    const queue = new WriteQueue({ store });
    const batcher = new EventBatcher({ queue, metrics, logger: pino({ level: "silent" }), protocol: "token-tcp" });
    const h = new TokenLineHandler("token-tcp", new TokenResolver(store), batcher, metrics, false);
    const peer = h.peer("10.0.0.1");
    for (const l of lines) h.line(Buffer.isBuffer(l) ? l : Buffer.from(l), false, peer);
    await batcher.drain();
    const got = store.search({ logIds: [log.id], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 100, order: "asc" }).events;
    assert.deepEqual(got.map((e) => e.message), want);
    assert.deepEqual(got[0]!.fields, { _TRANSPORT: "token-tcp", _HOSTNAME: "10.0.0.1", MESSAGE: "hello" });
    assert.equal(got[0]!.host, "10.0.0.1");
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
