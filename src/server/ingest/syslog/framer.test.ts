import { test } from "node:test";
import assert from "node:assert/strict";
import { SyslogFramer } from "./framer.js";

function frames(chunks: string[], max = 1000): Array<[string, boolean]> {
  const out: Array<[string, boolean]> = [];
  const f = new SyslogFramer(max);
  const sink = (b: Buffer, t: boolean) => out.push([b.toString(), t]);
  for (const c of chunks) f.push(Buffer.from(c), sink);
  f.end(sink);
  return out;
}

test("octet-counted frames may hold newlines and be split anywhere", () => {
  assert.deepEqual(frames(["1", "0 <13>1 a\nb", "c5 <1>1 "]), [["<13>1 a\nbc", false], ["<1>1 ", false]]);
});

test("newline framing and octet counting mix on one connection", () => {
  assert.deepEqual(frames(["<13>x\n4 <1>y<13>z\r\n"]), [["<13>x", false], ["<1>y", false], ["<13>z", false]]);
});

test("an octet count beyond the limit is truncated and the stream stays in step", () => {
  assert.deepEqual(frames(["10 0123456789<1>n\n"], 4), [["0123", true], ["<1>n", false]]);
});

test("digits without a space are a newline-framed line", () => {
  assert.deepEqual(frames(["123abc\n"]), [["123abc", false]]);
});
