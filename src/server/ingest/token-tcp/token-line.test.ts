import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTokenLine } from "./token-line.js";

const T = "7c832f4b-6cc5-46d8-8e85-7378f9b6582b";
const U = "11111111-2222-4333-8444-555555555555";
const known = (t: string) => t.toLowerCase() === T;

const CASES: Array<[string, string, boolean, ReturnType<typeof parseTokenLine>]> = [
  ["token then message", `${T} hello`, false, { ok: true, token: T, message: "hello" }],
  ["U+2028 becomes a newline", `${T} a\u2028b\u2028c`, false, { ok: true, token: T, message: "a\nb\nc" }],
  ["token alone: empty message", T, false, { ok: true, token: T, message: "" }],
  ["strict: a UUID not at the start is no token", `hello ${T}`, false, { ok: false, reason: "token_missing" }],
  ["strict: an unknown UUID at the start", `${U} hello`, false, { ok: true, token: U, message: "hello" }],
  ["no token", "just text", false, { ok: false, reason: "token_missing" }],
  ["token glued to text is no token", `${T}x hello`, false, { ok: false, reason: "token_missing" }],
  ["blank line", "   ", false, { ok: false, reason: "empty" }],
  ["anywhere: known token mid-line, cut out", `a ${U} ${T} b`, true, { ok: true, token: T, message: `a ${U} b` }],
  ["anywhere: known token at the end", `done ${T}`, true, { ok: true, token: T, message: "done" }],
  ["anywhere: only unknown UUIDs", `a ${U} b`, true, { ok: false, reason: "token_unknown" }],
  ["anywhere: no UUID", "a b", true, { ok: false, reason: "token_missing" }],
];

for (const [title, line, anywhere, want] of CASES) {
  test(`token line: ${title}`, () => {
    assert.deepEqual(parseTokenLine(line, anywhere, known), want);
  });
}
