import { test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogharborError } from "../../../core/errors.js";
import { checkIntegrity } from "./integrity.js";
import { SqliteStore } from "./sqlite-store.js";

test("the start check passes a sound database, gives up at its time limit, and names a damaged one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "lh-integrity-"));
  try {
    const file = join(dir, "logharbor.db");
    assert.equal(await checkIntegrity(file), "new");
    const s = SqliteStore.open(dir);
    const log = s.createLog("a");
    s.insert(log.id, Array.from({ length: 2000 }, (_, i) => ({ ident: `i${i}`, tsUs: 1_700_000_000_000_000 + i, host: "h", unit: "u", priority: 6, message: `message ${i} ${"x".repeat(200)}`, fieldsJson: "{}" })));
    await s.close();
    assert.equal(await checkIntegrity(file), "ok");
    assert.equal(await checkIntegrity(file, 0), "timed-out", "a check cut off at its limit lets the start go on");
    const fd = openSync(file, "r+");
    for (const page of [3, 4, 5]) writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (page - 1) * 16384);
    closeSync(fd);
    await assert.rejects(checkIntegrity(file), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_STORAGE_CORRUPT" && /\.recover/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
