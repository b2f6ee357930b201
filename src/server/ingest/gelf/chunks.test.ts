import { test } from "node:test";
import assert from "node:assert/strict";
import { ChunkAssembler, type ChunkDrop } from "./chunks.js";

const LIMITS = { maxBytes: 100, maxPendingBytes: 150, maxPendingMessages: 3, timeoutMs: 5000 };

function chunk(id: number, seq: number, count: number, part: string): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x1e;
  h[1] = 0x0f;
  h.writeUInt32BE(id, 6);
  h[10] = seq;
  h[11] = count;
  return Buffer.concat([h, Buffer.from(part)]);
}

function assembler(): { a: ChunkAssembler; drops: ChunkDrop[] } {
  const drops: ChunkDrop[] = [];
  return { a: new ChunkAssembler(LIMITS, (r) => drops.push(r)), drops };
}

test("reassembles chunks in any order, ignoring repeats; one chunk of one is the message itself", () => {
  const { a, drops } = assembler();
  assert.equal(a.add(chunk(1, 2, 3, "c"), "h"), undefined);
  assert.equal(a.add(chunk(1, 0, 3, "a"), "h"), undefined);
  assert.equal(a.add(chunk(1, 0, 3, "X"), "h"), undefined, "a repeated chunk: the first one counts");
  assert.equal(a.add(chunk(1, 1, 3, "b"), "h")?.toString(), "abc");
  assert.equal(a.add(chunk(2, 0, 1, "solo"), "h")?.toString(), "solo");
  assert.deepEqual(a.size, { messages: 0, bytes: 0 });
  assert.deepEqual(drops, []);
});

test("the same id from two senders is two messages", () => {
  const { a } = assembler();
  assert.equal(a.add(chunk(7, 0, 2, "a1"), "h1"), undefined);
  assert.equal(a.add(chunk(7, 1, 2, "b2"), "h2"), undefined);
  assert.equal(a.add(chunk(7, 1, 2, "b1"), "h1")?.toString(), "a1b1");
});

const DROPS: Array<[string, Array<[number, number, number, string]>, ChunkDrop[]]> = [
  ["more than 128 chunks", [[1, 0, 129, "x"]], ["too_many_chunks"]],
  ["a count of 0", [[1, 0, 0, "x"]], ["too_many_chunks"]],
  ["a sequence number past the count", [[1, 3, 3, "x"]], ["chunk_invalid"]],
  ["chunks of one id disagreeing on the count", [[1, 0, 3, "x"], [1, 1, 4, "y"]], ["chunk_invalid"]],
  ["a message over maxBytes", [[1, 0, 3, "x".repeat(60)], [1, 1, 3, "y".repeat(60)]], ["too_large"]],
  ["more incomplete messages than allowed: the oldest goes", [[1, 0, 2, "a"], [2, 0, 2, "b"], [3, 0, 2, "c"], [4, 0, 2, "d"]], ["chunks_evicted"]],
  ["more incomplete bytes than allowed: the oldest goes", [[1, 0, 2, "a".repeat(80)], [2, 0, 2, "b".repeat(80)]], ["chunks_evicted"]],
];
for (const [title, chunks, want] of DROPS) {
  test(`drops ${title}`, () => {
    const { a, drops } = assembler();
    for (const [id, seq, count, part] of chunks) assert.equal(a.add(chunk(id, seq, count, part), "h"), undefined);
    assert.deepEqual(drops, want);
    assert.ok(a.size.bytes <= LIMITS.maxPendingBytes && a.size.messages <= LIMITS.maxPendingMessages);
  });
}

test("drops incomplete messages once the timeout passed, oldest first, and keeps younger ones", () => {
  const { a, drops } = assembler();
  a.add(chunk(1, 0, 2, "a"), "h", 1000);
  a.add(chunk(2, 0, 2, "b"), "h", 4000);
  a.sweep(6500);
  assert.deepEqual(drops, ["incomplete_chunks"]);
  assert.equal(a.add(chunk(2, 1, 2, "B"), "h", 6600)?.toString(), "bB");
  assert.equal(a.add(chunk(1, 1, 2, "A"), "h", 6600), undefined, "the dropped message does not come back whole");
});
