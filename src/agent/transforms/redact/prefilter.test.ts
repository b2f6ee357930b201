// The prefilter must never hide a secret: on generated messages full of near-misses (digit runs of
// 12-14 digits with separators, key-id prefixes in both cases, "secret"/"bearer" spelt in mixed
// case and misspelt, "://" with and without "@", bytes that are not UTF-8), a message the prefilter
// rules out must be one the patterns' full path (redactText, run on every message) leaves alone, and
// the transform (prefiltered) must give byte for byte what the full path gives, with the same counts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeExportEntry } from "../../../core/journal/export-encoder.js";
import { parseExport } from "../../../core/journal/export-parser.js";
import { run } from "../testing.js";
import { BUILTIN_PATTERN_NAMES, DEFAULT_PATTERNS, type BuiltinPatternName } from "./patterns.js";
import { RedactPrefilter } from "./prefilter.js";
import { RedactTransform } from "./redact.js";

const FRAGMENTS = [
  "4111 1111 1111 1111", "4111-1111-1111-1111", "411111111111111", "4111111111111111", "411111111111", "4111 1111 1111 111",
  "4111  1111 1111 1111", "4111 -1111-1111-1111", "1700000000123456", "378282246310005", "5500-0000-0000-0004", "12-34-56-78-90-12-3",
  "AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A", "A3TXIOSFODNN7EXAMPLE", "akiaiosfodnn7example", "AKIA", "AKI", "AGPA0123456789ABCDEF",
  "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  '"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', "SeCrEt_AcCeSs_KeY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "secre", "Secret",
  "Bearer abcdefgh12345678", "bearer xyz", "BEARER abcdefghijkl==", "Bearre abcdefghijkl", "bEaReR\tabcdefghijk", "Bear", "bearer",
  "postgres://app:s3cr3t@db:5432", "https://user@example.com/x", "https://example.com:8443/y", "amqp://guest:guest@mq", ":/", "://", "a:/ /b@c",
  "jane.doe@example.com", "@", "x@y", "ops@example.org", "user@", "mailto:a@b.co",
  " ", "-", "  ", "--", "0", "7", "12", "345", "A", "S", "s", "b", "B", ":", "/", "=", "\t", "lorem ipsum", "status=200", "ü", "\u00a0",
];
const NON_UTF8 = [Buffer.from([0xff]), Buffer.from([0xfe, 0x20]), Buffer.from([0xc3]), Buffer.from([0x80, 0x41])];

/** A seeded generator (mulberry32), so a failure can be reproduced. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function message(rand: () => number): Buffer {
  const parts: Buffer[] = [];
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.05) parts.push(NON_UTF8[Math.floor(rand() * NON_UTF8.length)]!);
    else if (r < 0.15) parts.push(Buffer.from(String(Math.floor(rand() * 1e15)), "latin1"));
    else parts.push(Buffer.from(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!, "utf8"));
    if (rand() < 0.6) parts.push(Buffer.from(rand() < 0.5 ? " " : rand() < 0.5 ? "-" : "", "latin1"));
  }
  return Buffer.concat(parts);
}

const SETS: [string, readonly BuiltinPatternName[]][] = [
  ["default", DEFAULT_PATTERNS],
  ["all", BUILTIN_PATTERN_NAMES],
  ...BUILTIN_PATTERN_NAMES.map((p): [string, BuiltinPatternName[]] => [p, [p]]),
];

for (const [title, patterns] of SETS) {
  test(`redact prefilter (${title}): never rules out a message the patterns would change; the transform gives what the full path gives`, () => {
    const rand = rng(0x5eed + patterns.length);
    const pre = new RedactPrefilter(patterns);
    const reference = new RedactTransform({ patterns: [...patterns] });
    const redact = new RedactTransform({ patterns: [...patterns] });
    let ruledOut = 0;
    let changed = 0;
    for (let i = 0; i < 20_000; i++) {
      const msg = message(rand);
      const expected = reference.redactText(msg.toString("latin1"));
      const may = pre.mayMatch(msg, 0, msg.length);
      if (!may) {
        ruledOut++;
        assert.equal(expected, undefined, `ruled out but the patterns change it: ${JSON.stringify(msg.toString("latin1"))}`);
      }
      if (expected !== undefined) changed++;
      const e = parseExport(encodeExportEntry([["__CURSOR", `c${i}`], ["MESSAGE", msg]]))[0]!;
      const [out] = run(redact, [e]);
      if (expected === undefined) assert.equal(out!.raw, e.raw, "nothing to redact: the same bytes forwarded");
      else assert.deepEqual(out!.getBytes("MESSAGE"), Buffer.from(expected, "latin1"));
    }
    // The generator must exercise both sides, or the test could not fail.
    assert.ok(ruledOut > 1000 && changed > 1000, `ruled out ${ruledOut}, changed ${changed}`);
    // redactText counts replacements per pattern; entries are counted by the transform alone.
    assert.deepEqual({ ...redact.counters(), redacted_entries: 0 }, reference.counters());
    assert.ok(redact.redactedEntries > 0);
  });
}

test("redact prefilter: near-misses of every pattern are ruled out, each pattern's shortest trigger is not", () => {
  const pre = new RedactPrefilter(BUILTIN_PATTERN_NAMES);
  const check = (s: string) => pre.mayMatch(Buffer.from(s, "latin1"), 0, s.length);
  for (const s of ["411111111111", "4111 1111 1111  1", "4111--1111-1111-1", "ABC", "Akia", "akia", "secre", "beare", "https://x/y", "a:/ /b", "", "lorem ipsum dolor"]) {
    assert.equal(check(s), false, s);
  }
  for (const s of ["4111111111111", "4-1-1-1-1-1-1-1-1-1-1-1-1", "AKIA", "A3T", "SECRET", "sEcReT", "BEARER", "bearer", "a://b@", "x@y"]) {
    assert.equal(check(s), true, s);
  }
  // Only the enabled patterns count.
  assert.equal(new RedactPrefilter(["credit_card"]).mayMatch(Buffer.from("AKIA bearer x://y@z"), 0, 19), false);
  // Only the given range is read.
  assert.equal(pre.mayMatch(Buffer.from("xx AKIA"), 0, 4), false);
});
