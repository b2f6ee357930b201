import { test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "@msgpack/msgpack";
import { FrameRefused, MsgpackFramer } from "./framer.js";

const LIMITS = { maxBytes: 4096, maxDepth: 8 };

function frames(bytes: Buffer, step: number): Buffer[] {
  const f = new MsgpackFramer(LIMITS);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) f.push(bytes.subarray(i, i + step), (b) => out.push(Buffer.from(b)));
  assert.equal(f.pending, false);
  return out;
}

test("cuts back-to-back MessagePack values at their ends, whatever the read sizes", () => {
  const values: unknown[] = [
    ["tag", 1700000000, { log: "a", n: -5, f: 1.5, big: 2 ** 40, neg: -(2 ** 33) }],
    ["tag", [[1, { a: "x".repeat(300) }], [2, { b: new Uint8Array(700) }]], { chunk: "c" }],
    [], {}, null, true, "s".repeat(40), new Uint8Array(0), 0x7f, -32, [[[[["deep"]]]]],
    { m: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) },
  ];
  const encoded = values.map((v) => Buffer.from(encode(v)));
  const all = Buffer.concat(encoded);
  for (const step of [1, 2, 3, 7, 64, all.length]) assert.deepEqual(frames(all, step), encoded, `read ${step} bytes at a time`);
});

const REFUSED: Array<[string, number[], string]> = [
  ["array32 declaring 2^32-1 items", [0xdd, 0xff, 0xff, 0xff, 0xff], "too_large"],
  ["map32 declaring 2^31 pairs", [0xdf, 0x80, 0x00, 0x00, 0x00], "too_large"],
  ["str32 declaring 4 GiB", [0xdb, 0xff, 0xff, 0xff, 0xff, 0x61], "too_large"],
  ["bin32 declaring 16 MiB", [0xc6, 0x01, 0x00, 0x00, 0x00], "too_large"],
  ["ext32 declaring 1 GiB", [0xc9, 0x40, 0x00, 0x00, 0x00, 0x00], "too_large"],
  ["nesting deeper than the limit", Array(9).fill(0x91) as number[], "too_deep"],
  ["0xc1, never used", [0x92, 0x01, 0xc1], "malformed"],
];
for (const [title, bytes, reason] of REFUSED) {
  test(`refuses ${title} at its header (${reason})`, () => {
    const f = new MsgpackFramer(LIMITS);
    assert.throws(() => f.push(Buffer.from(bytes), () => assert.fail("no frame")), (e: unknown) => e instanceof FrameRefused && e.reason === reason);
  });
}

test("refuses a value still incomplete past the limit without holding more than the limit and one read", () => {
  const f = new MsgpackFramer(LIMITS);
  // An array of 4000 two-byte items (uint8), fed 100 bytes at a time: refused once more than 4096 bytes are held.
  const big = Buffer.concat([Buffer.from([0xdc, 0x0f, 0xa0]), Buffer.from(Array.from({ length: 8000 }, (_, i) => (i % 2 ? 0x01 : 0xcc)))]);
  let fed = 0;
  assert.throws(() => {
    for (; fed < big.length; fed += 100) f.push(big.subarray(fed, fed + 100), () => assert.fail("no frame"));
  }, (e: unknown) => e instanceof FrameRefused && e.reason === "too_large");
  assert.ok(fed <= LIMITS.maxBytes + 100, `refused after ${fed} bytes`);
});
