import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLabels } from "./labels.js";

test("Loki stream labels parse with escapes, spaces and a trailing comma", () => {
  const cases: Array<[string, Record<string, string>]> = [
    ["{}", {}],
    ['{job="web"}', { job: "web" }],
    ['{ job = "web", host="node-1" ,}', { job: "web", host: "node-1" }],
    ['{msg="say \\"hi\\" \\\\ now\\nnext", k8s.ns="x"}', { msg: 'say "hi" \\ now\nnext', "k8s.ns": "x" }],
    ['{u="grüße 🚀"}', { u: "grüße 🚀" }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseLabels(text), want, text);
});

test("malformed Loki stream labels are refused, naming where", () => {
  for (const [text, where] of [["job=\"x\"", /expected "\{" at character 1/], ['{job="x"', /expected "," or "}" at character 9/], ['{job=x}', /a quoted value at character 6/], ['{="x"}', /a label name/], ['{a="x}', /a closing "/]] as const) {
    assert.throws(() => parseLabels(text), (e: Error) => where.test(e.message) && /LH_ERR|loki: stream labels/.test(e.message), text);
  }
});
