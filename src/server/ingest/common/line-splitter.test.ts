import { test } from "node:test";
import assert from "node:assert/strict";
import { LineSplitter } from "./line-splitter.js";

function split(chunks: Array<string | Buffer>, max: number): Array<[string, boolean]> {
  const out: Array<[string, boolean]> = [];
  const s = new LineSplitter(max);
  const sink = (b: Buffer, t: boolean) => out.push([b.toString("utf8"), t]);
  for (const c of chunks) s.push(Buffer.isBuffer(c) ? c : Buffer.from(c), sink);
  s.end(sink);
  return out;
}

test("splits lines across chunks, strips CR, and keeps the last line without a newline", () => {
  assert.deepEqual(split(["ab", "c\nde\r\n", "f"], 100), [["abc", false], ["de", false], ["f", false]]);
});

test("cuts a line longer than the limit, flags it, and skips its rest up to the newline", () => {
  assert.deepEqual(split(["0123456789", "abcdef\nnext\n"], 8), [["01234567", true], ["next", false]]);
});

test("never cuts inside a UTF-8 character", () => {
  assert.deepEqual(split([Buffer.from("aé€x\n")], 5), [["aé", true]]);
});
