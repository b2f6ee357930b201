import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DiskBuffer, type BufferItem } from "./disk-buffer.js";
import { tempDir } from "../../../test/harness/paths.js";

const rec = (i: number) => DiskBuffer.frame(1, `c${i}`, `c${i}`, [Buffer.from(`MESSAGE=entry ${i}\n\n`)]);

async function drain(b: DiskBuffer, n: number): Promise<BufferItem[]> {
  const out: BufferItem[] = [];
  while (out.length < n) out.push((await b.next())!);
  return out;
}

test("hands records out in order, keeps them until acknowledged, and deletes acknowledged segments", async () => {
  const t = tempDir();
  try {
    const dir = join(t.path, "b");
    const a = await DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 200 });
    for (let i = 0; i < 10; i++) await a.append(rec(i));
    const items = await drain(a, 10);
    assert.deepEqual(items.map((x) => (x.kind === "record" ? x.last : "?")), Array.from({ length: 10 }, (_, i) => `c${i}`));
    for (const x of items.slice(0, 4)) a.ack(x);
    await a.close();
    const b = await DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    const again = await drain(b, 6);
    assert.deepEqual(again.map((x) => (x.kind === "record" ? x.last : "?")), ["c4", "c5", "c6", "c7", "c8", "c9"], "unacknowledged records survive a restart");
    for (const x of again) b.ack(x);
    assert.equal(b.bytes, 0);
    await b.close();
    assert.equal(readdirSync(dir).filter((f) => f.endsWith(".seg")).length, 1, "only the empty current segment is left");
  } finally {
    t.dispose();
  }
});

test("hands out the records this run appended from memory, then from disk beyond the memory bound, the same bytes either way", async () => {
  const t = tempDir();
  try {
    const dir = join(t.path, "b");
    const payload = (i: number) => [Buffer.from(`MESSAGE=entry ${i}\n`), Buffer.from(`N=${i}\n\n`)];
    const framed = (i: number) => DiskBuffer.frame(1, `c${i}`, `c${i}`, payload(i));
    const a = await DiskBuffer.open({ dir, maxBytes: 1 << 20, segmentBytes: 150, hotMaxBytes: framed(0).size * 2 });
    for (let i = 0; i < 6; i++) await a.append(framed(i));
    const live = await drain(a, 6);
    await a.close();
    const b = await DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    const read = await drain(b, 6);
    await b.close();
    for (let i = 0; i < 6; i++) {
      const x = live[i]!;
      const y = read[i]!;
      assert.ok(x.kind === "record" && y.kind === "record");
      assert.deepEqual([x.entries, x.first, x.last, x.seg, x.end, x.size], [y.entries, y.first, y.last, y.seg, y.end, y.size], `record ${i}`);
      assert.ok(x.payload.equals(Buffer.concat(payload(i))) && y.payload.equals(x.payload), `record ${i}: payload`);
    }
  } finally {
    t.dispose();
  }
});

test("skips a record whose checksum fails, reporting the cursors around it", async () => {
  const t = tempDir();
  try {
    const dir = join(t.path, "b");
    const a = await DiskBuffer.open({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 3; i++) await a.append(rec(i));
    await a.close();
    const seg = join(dir, readdirSync(dir).filter((f) => f.endsWith(".seg")).sort()[0]!);
    const bytes = readFileSync(seg);
    const second = bytes.indexOf("entry 1");
    bytes[second] ^= 0x20;
    writeFileSync(seg, bytes);
    const b = await DiskBuffer.open({ dir, maxBytes: 1 << 20, checkpoint: "c2" });
    const items = await drain(b, 3);
    assert.equal(items[0]!.kind === "record" && items[0]!.last, "c0");
    assert.equal(items[1]!.kind, "damage");
    if (items[1]!.kind === "damage") {
      assert.equal(items[1]!.damage.lostAfter, "c0");
      assert.equal(items[1]!.damage.lostBefore, "c2");
    }
    assert.equal(items[2]!.kind === "record" && items[2]!.last, "c2");
    await b.close();
  } finally {
    t.dispose();
  }
});

test("refuses a record beyond max_bytes unless the buffer is empty", async () => {
  const t = tempDir();
  try {
    const b = await DiskBuffer.open({ dir: join(t.path, "b"), maxBytes: 100 });
    const big = DiskBuffer.frame(1, "a", "a", [Buffer.alloc(500)]);
    assert.equal(b.hasRoom(big.size), true, "an empty buffer takes any single record");
    await b.append(big);
    assert.equal(b.hasRoom(rec(1).size), false);
    await b.close();
  } finally {
    t.dispose();
  }
});
