import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDocument, nearest } from "./document.js";

test("a YAML document and its JSON twin give the same flags", () => {
  const yaml = parseDocument("to:\n  - https://logs:8080\nbatch_max_entries: 100\njournal_merge: true\nlog_level: debug\n", "a.yaml");
  const json = parseDocument('{"to": ["https://logs:8080"], "batch_max_entries": "100", "journal_merge": true, "log_level": "debug"}', "a.json");
  assert.deepEqual(yaml, json);
  assert.deepEqual(yaml.flags, { to: ["https://logs:8080"], batchMaxEntries: "100", journalMerge: true, logLevel: "debug" });
});

test("a single destination may be written as a string", () => {
  assert.deepEqual(parseDocument("to: https://logs:8080\n", "x").flags, { to: ["https://logs:8080"] });
});

test("an empty document sets nothing", () => {
  assert.deepEqual(parseDocument("", "x"), { flags: {}, problems: [], unusable: false });
  assert.deepEqual(parseDocument("# only a comment\n", "x"), { flags: {}, problems: [], unusable: false });
});

test("every unknown key and wrong type is reported at once, with the nearest key name", () => {
  const r = parseDocument("bach_max_entries: 5\nto: 7\njournal_merge: yes please\nzzzzzzzz: 1\n", "etcd /logharbor/config");
  assert.deepEqual(r.problems, [
    'etcd /logharbor/config: unknown key "bach_max_entries"; did you mean "batch_max_entries"?',
    "etcd /logharbor/config: to: expected a string or a list of strings, got 7",
    'etcd /logharbor/config: journal_merge: expected true or false, got "yes please"',
    'etcd /logharbor/config: unknown key "zzzzzzzz"',
  ]);
  assert.equal(r.unusable, false);
});

test("text that is not a mapping is unusable, with the reason", () => {
  const bad = [
    ["to: [unclosed\n", /expected YAML or JSON, got a syntax error/],
    ["- a\n- b\n", /expected a mapping of settings \(key: value\), got a list/],
    ["just words\n", /expected a mapping of settings \(key: value\), got string/],
    ["a: 1\na: 2\n", /expected YAML or JSON, got a syntax error/],
  ] as const;
  for (const [text, re] of bad) {
    const r = parseDocument(text, "f");
    assert.equal(r.unusable, true, text);
    assert.match(r.problems[0]!, re, text);
  }
});

test("a name far from every key gets no suggestion", () => {
  assert.equal(nearest("colour", ["to", "token", "journal"]), undefined);
  assert.equal(nearest("tokne", ["to", "token", "journal"]), "token");
});
