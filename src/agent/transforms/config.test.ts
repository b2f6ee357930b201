import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTransformsDocument } from "./config.js";
import { createChain } from "./create.js";
import { entryOf, messages, serviceFields } from "./testing.js";

const GOOD = `
to: [http://logs:8080]
transforms:
  - filter:
      units: { exclude: ["systemd-*"] }
      priority: info
  - redact:
      patterns: [credit_card, aws_key, bearer_token, url_password, email]
      custom:
        - { name: ssn, pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }
  - multiline: { timeout_ms: 2000 }
  - throttle: { key: unit, rate_per_s: 100, burst: 500 }
  - enrich: { labels: { CLUSTER: prod-eu, REGION: eu-west-1 } }
`;

test("config: a valid transforms section becomes a chain applied in order", () => {
  const r = parseTransformsDocument(GOOD, "ship.yaml");
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.transforms.map((t) => t.verb), ["filter", "redact", "multiline", "throttle", "enrich"]);
  const chain = createChain(r.transforms);
  assert.deepEqual(chain.transforms.map((t) => t.name), ["filter#0", "redact#1", "multiline#2", "throttle#3", "enrich#4"]);
  const out = [...chain.apply([
    entryOf(serviceFields("mail ops@example.org ssn 078-05-1120", { PRIORITY: "3" })),
    entryOf(serviceFields("debug noise", { PRIORITY: "7" })),
    entryOf(serviceFields("Started session", { _SYSTEMD_UNIT: "systemd-logind.service" })),
  ]), ...chain.flush(0, true)];
  assert.deepEqual(messages(out), ["mail [REDACTED:email] ssn [REDACTED:ssn]"]);
  assert.equal(out[0]!.get("CLUSTER"), "prod-eu");
});

test("config: every problem is reported with its path, unknown keys with the nearest valid name", () => {
  const r = parseTransformsDocument(`
transforms:
  - filtr: { priority: info }
  - filter: { unit: { include: [nginx] }, priority: loud, message: "(" }
  - redact: { patterns: [credit_cards], custom: [{ name: x, patern: "a" }] }
  - multiline: { timeout_ms: -5 }
  - throttle: { burst: 10 }
  - enrich: { labels: { cluster: a } }
  - [1, 2]
`, "ship.yaml");
  assert.deepEqual(r.transforms, []);
  const text = r.problems.join("\n");
  for (const expected of [
    /transforms\[0\]: unknown transform "filtr"; did you mean "filter"\?/,
    /transforms\[1\]\.filter: unknown key "unit"; did you mean "units"\?/,
    /transforms\[1\]\.filter\.priority: expected a priority .* got "loud"/,
    /transforms\[1\]\.filter\.message: expected a regular expression/,
    /transforms\[2\]\.redact\.patterns\[0\]: expected one of credit_card, .* got "credit_cards"; did you mean "credit_card"\?/,
    /transforms\[2\]\.redact\.custom\[0\]: unknown key "patern"; did you mean "pattern"\?/,
    /transforms\[2\]\.redact\.custom\[0\]\.pattern: expected string/,
    /transforms\[3\]\.multiline\.timeout_ms: .*>=1/,
    /transforms\[4\]\.throttle\.rate_per_s: expected number/,
    /transforms\[5\]\.enrich\.labels\.cluster: expected a journal field name/,
    /transforms\[6\]: expected a mapping with one key/,
  ]) assert.match(text, expected);
  assert.equal(r.problems.length, 11, text);
});

test("config: a document without transforms gives an empty chain that returns its input untouched", () => {
  const r = parseTransformsDocument("to: [http://logs:8080]\n", "ship.yaml");
  assert.deepEqual(r, { transforms: [], problems: [] });
  const chain = createChain(r.transforms);
  const input = [entryOf(serviceFields("x"))];
  assert.equal(chain.apply(input), input);
});

test("config: YAML that does not parse is one clear problem", () => {
  assert.match(parseTransformsDocument("transforms: [\n", "ship.yaml").problems[0]!, /^ship\.yaml: expected YAML or JSON, got a syntax error/);
});

test("config: route is the last item, names destinations by position or URL, each with an optional filter", () => {
  const good = parseTransformsDocument(`
transforms:
  - redact: {}
  - route:
      - { sink: 0, filter: { priority: err } }
      - { sink: "file:///var/log/web.ndjson", filter: { units: { include: [nginx] } } }
`, "ship.yaml");
  assert.deepEqual(good.problems, []);
  assert.deepEqual(createChain(good.transforms).transforms.map((t) => t.name), ["redact#0"], "route is not part of the chain");
  const bad = parseTransformsDocument(`
transforms:
  - route: [{ sink: 0 }]
  - redact: {}
  - route: [{ sink: -1, filtr: {} }]
`, "ship.yaml");
  assert.deepEqual(bad.problems, [
    "ship.yaml: transforms[0].route: expected route as the last item (it hands the transformed entries to the destinations), got it at position 0 of 3",
    "ship.yaml: transforms[2].route[0].sink: expected a destination's position (0, 1, ...) or its URL as given with --to, got -1",
    'ship.yaml: transforms[2].route[0]: unknown key "filtr"; did you mean "filter"?',
  ]);
});
