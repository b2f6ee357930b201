import { test } from "node:test";
import assert from "node:assert/strict";
import { Batcher } from "./batcher.js";
import { parseExport } from "../core/journal/export-parser.js";
import { exportText } from "../../test/harness/journal.js";
import { realisticEntries } from "../../test/harness/journal-entries.js";

test("cuts batches at the entry bound and keeps the bytes identical", () => {
  const data = exportText(realisticEntries(0, 25));
  const b = new Batcher({ maxEntries: 10, maxBytes: 1 << 30 });
  const batches = [];
  for (const e of parseExport(data)) if (b.add(e)) batches.push(b.take()!);
  const rest = b.take();
  if (rest) batches.push(rest);
  assert.deepEqual(batches.map((x) => x.entries), [10, 10, 5]);
  assert.equal(batches[0]!.segments.length, 1, "adjacent entries share one segment");
  assert.deepEqual(Buffer.concat(batches.flatMap((x) => x.segments)), data);
  assert.equal(batches[2]!.last.get("SEQ"), "24");
});

test("never lets a batch grow past the byte bound, except for a single larger entry", () => {
  const entries = parseExport(exportText(realisticEntries(0, 50)));
  const max = 2048;
  const b = new Batcher({ maxEntries: 1000, maxBytes: max });
  const sizes: number[] = [];
  for (const e of entries) {
    if (b.wouldOverflow(e)) sizes.push(b.take()!.bytes);
    if (b.add(e)) sizes.push(b.take()!.bytes);
  }
  sizes.push(b.take()!.bytes);
  assert.ok(sizes.every((s) => s <= max), `sizes ${sizes}`);
  assert.equal(sizes.reduce((a, s) => a + s, 0), entries.reduce((a, e) => a + e.raw.length, 0));
  const big = parseExport(exportText([[["MESSAGE", "x".repeat(5000)]]]))[0]!;
  const one = new Batcher({ maxEntries: 1000, maxBytes: max });
  assert.equal(one.add(big), true);
  assert.equal(one.take()!.entries, 1);
});
