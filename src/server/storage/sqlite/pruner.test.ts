import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NewEvent } from "../store.js";
import { DB_FILE, SqliteStore } from "./sqlite-store.js";

const T0 = Date.UTC(2024, 0, 1) * 1000;
const HOUR = 3600e6;

function ev(log: string, i: number, hour: number): NewEvent {
  return {
    ident: `${log}:${i}`, tsUs: T0 + hour * HOUR + i, host: `h${i % 3}`, unit: "u.service", priority: 6,
    message: `${log} word${hour} item=${i}`, fieldsJson: "{}",
  };
}

// Both the store's own connection and the writer thread's (the server's) delete the same way.
for (const viaThread of [false, true]) {
  test(`retention deletes the oldest events from every table: rows, full-text index, parsed fields, counts (${viaThread ? "writer thread" : "sync"})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lh-prune-"));
    const s = SqliteStore.open(dir);
    try {
      if (viaThread) s.startWriterThread();
      const a = s.createLog("a");
      const b = s.createLog("b");
      for (const hour of [0, 1, 2, 3]) {
        await s.insertAsync(a.id, Array.from({ length: 250 }, (_, i) => ev("a", hour * 1000 + i, hour)));
        await s.insertAsync(b.id, Array.from({ length: 100 }, (_, i) => ev("b", hour * 1000 + i, hour)));
      }
      const cut = T0 + 2 * HOUR; // hours 0 and 1 of log a go; log b keeps everything
      assert.equal(await s.prune(a.id, cut, 300), 300, "at most `max` a call");
      let deleted = 300;
      for (let n = -1; n !== 0; deleted += n) n = await s.prune(a.id, cut, 300);
      assert.equal(deleted, 500);
      assert.equal(s.count(a.id), 500);
      assert.equal(s.count(b.id), 400, "another log's events stay");
      for (let n = -1; n !== 0; deleted += n) n = await s.prune(b.id, cut, 300);
      assert.equal(deleted, 700);
      assert.equal(s.count(b.id), 200);
      assert.equal(s.count(), 700);
      const words = (w: string) => s.search({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 10_000, order: "asc", where: { kind: "term", value: w } }).events.length;
      assert.deepEqual([words("word0"), words("word1"), words("word2"), words("word3")], [0, 0, 350, 350]);
      const parsed = s.search({ logIds: [], fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, limit: 10_000, order: "asc", where: { kind: "field", field: "item", op: "<", value: 2000 } });
      assert.equal(parsed.events.length, 0, "no parsed fields of deleted events match");
      // New events after a prune get ids and index entries of their own.
      await s.insertAsync(a.id, [ev("a", 9999, 4)]);
      assert.equal(words("word4"), 1);
      const db = new Database(join(dir, DB_FILE));
      try {
        assert.equal(db.prepare("SELECT count(*) FROM event_parsed WHERE id NOT IN (SELECT id FROM events)").pluck().get(), 0);
        // FTS5 compares its index with the content table: every deleted row's terms are gone.
        db.prepare("INSERT INTO events_fts (events_fts, rank) VALUES ('integrity-check', 1)").run();
      } finally {
        db.close();
      }
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
