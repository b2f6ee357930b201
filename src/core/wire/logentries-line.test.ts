import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeNewlines, encodeNewlines, encodeTokenLine } from "./logentries-line.js";

const T = "7c832f4b-6cc5-46d8-8e85-7378f9b6582b";

const CASES: Array<[title: string, message: string, line: string]> = [
  ["a one-line message follows the token and a space", "hello", `${T} hello\n`],
  ["each LF becomes U+2028", "a\nb\nc", `${T} a\u2028b\u2028c\n`],
  ["CRLF becomes one U+2028, a lone CR one too", "a\r\nb\rc", `${T} a\u2028b\u2028c\n`],
  ["a trailing newline is kept as U+2028", "done\n", `${T} done\u2028\n`],
  ["an empty message is the token and a space", "", `${T} \n`],
  ["other characters pass untouched", "ünïcødé\ttab", `${T} ünïcødé\ttab\n`],
];

for (const [title, message, line] of CASES) {
  test(`token line: ${title}`, () => {
    assert.equal(encodeTokenLine(T, message), line);
  });
}

test("decoding U+2028 gives back the newlines of a message that had no CR", () => {
  for (const m of ["a\nb", "x", "\n\n", "trace:\n  at f\n  at g"]) assert.equal(decodeNewlines(encodeNewlines(m)), m);
});
