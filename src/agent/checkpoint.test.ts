import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Checkpoint, CHECKPOINT_FILE } from "./checkpoint.js";
import { LogharborError } from "../core/errors.js";
import { tempDir } from "../../test/harness/paths.js";

const c1 = "s=db93973e065c4cb092634d1c6afd477b;i=1a;b=0123456789abcdef0123456789abcdef;m=3e8;t=60a24181e4000;x=68fb";
const c2 = "s=db93973e065c4cb092634d1c6afd477b;i=1b;b=0123456789abcdef0123456789abcdef;m=3e9;t=60a24181e4001;x=68fc";

test("saves the newest cursor asked for and reads it back after a restart", async () => {
  const t = tempDir();
  try {
    const dir = join(t.path, "state", "nested");
    const a = await Checkpoint.open(dir);
    assert.equal(a.cursor, undefined);
    a.save(c1);
    a.save(c2);
    await a.flush();
    const b = await Checkpoint.open(dir);
    assert.equal(b.cursor, c2);
    assert.deepEqual(readdirSync(dir), [CHECKPOINT_FILE], "no temporary file left behind");
    assert.equal(JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), "utf8")).version, 1);
  } finally {
    t.dispose();
  }
});

test("refuses a damaged checkpoint instead of silently starting over", async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, CHECKPOINT_FILE), '{"cursor":"nonsense"}');
    await assert.rejects(
      Checkpoint.open(t.path),
      (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_STATE" && e.message.includes(CHECKPOINT_FILE) && e.message.includes("nonsense"),
    );
  } finally {
    t.dispose();
  }
});
