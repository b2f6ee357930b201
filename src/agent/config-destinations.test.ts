// resolveShipConfig with several --to: each destination resolved with the flags that concern it,
// every problem named, a route checked against the list (docs/configuration.md, "Several destinations").
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveShipConfig, type ShipFlags } from "./config.js";
import { validateDocument } from "./cluster/validate.js";

const UUID = "11111111-2222-4333-8444-555555555555";

test("several destinations: kind-specific flags go to the kinds they concern, and are refused only when none is of that kind", async () => {
  const state = mkdtempSync(join(tmpdir(), "lh-dest-"));
  try {
    const base: ShipFlags = { journal: "journalctl", state };
    const both = await resolveShipConfig({ ...base, to: ["http://127.0.0.1:9/?token=tok", `logentries+tcp://127.0.0.1:10?token=${UUID}`], tokenMap: [`unit:nginx=${UUID}`] }, {});
    assert.deepEqual(both.problems, []);
    assert.deepEqual(both.config!.destinations.map((d) => d.kind), ["harbor", "logentries"]);
    assert.equal(both.config!.destination, both.config!.destinations[0]);

    // One destination: the rule as before; several of which none is logentries: refused for each.
    const one = await resolveShipConfig({ ...base, to: ["http://127.0.0.1:9/?token=tok"], tokenMap: [`unit:nginx=${UUID}`] }, {});
    assert.deepEqual(one.problems, ["--token-map: applies only to logentries destinations, got --to http://127.0.0.1:9"]);
    const none = await resolveShipConfig({ ...base, to: ["http://127.0.0.1:9/?token=tok", "stdout:"], tokenMap: [`unit:nginx=${UUID}`] }, {});
    assert.deepEqual(none.problems, ["--token-map: applies only to logentries destinations, got --to http://127.0.0.1:9", "--token-map: applies only to logentries destinations, got --to stdout:"]);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test("a route is checked against the destinations when a document is validated (cluster set-config)", async () => {
  const bad = await validateDocument(["to: [\"stdout:\", file:///tmp/x.ndjson]", "transforms:", "  - route:", '      - { sink: "file:///tmp/y.ndjson" }'].join("\n"), "etcd /lh/config");
  assert.deepEqual(bad, [
    'etcd /lh/config: transforms: route[0].sink: expected a destination\'s position (0 to 1) or its URL as given with --to (stdout:, file:///tmp/x.ndjson), got "file:///tmp/y.ndjson"',
  ]);
  const good = await validateDocument(["to: [\"stdout:\", file:///tmp/x.ndjson]", "transforms:", "  - route:", "      - { sink: 1, filter: { units: { include: [nginx] } } }"].join("\n"), "etcd /lh/config");
  assert.deepEqual(good, []);
});
