import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeLayers } from "./merge.js";

test("precedence is flags > environment > per-host etcd > cluster etcd > file", () => {
  const { flags } = mergeLayers({
    file: { batchMaxEntries: "1", batchMaxBytes: "1", batchMaxMs: "1", maxInFlight: "1", token: "file" },
    cluster: { batchMaxEntries: "2", batchMaxBytes: "2", batchMaxMs: "2", token: "cluster" },
    host: { batchMaxEntries: "3", batchMaxBytes: "3", token: "host" },
    env: { LOGHARBOR_TOKEN: "env" },
    flags: { batchMaxEntries: "4" },
  });
  assert.deepEqual(
    { e: flags.batchMaxEntries, b: flags.batchMaxBytes, ms: flags.batchMaxMs, f: flags.maxInFlight, t: flags.token },
    { e: "4", b: "3", ms: "2", f: "1", t: "env" },
  );
});

test("a list from a higher layer replaces the lower one's", () => {
  const { flags } = mergeLayers({ cluster: { to: ["a", "b"] }, host: { to: ["c"] }, flags: {}, env: {} });
  assert.deepEqual(flags.to, ["c"]);
});

test("an unset flag does not hide a lower layer's value", () => {
  const { flags } = mergeLayers({ cluster: { startAt: "oldest" }, flags: { startAt: undefined }, env: {} });
  assert.equal(flags.startAt, "oldest");
});

test("the etcd Logentries token acts as LOGENTRIES_TOKEN, below the real environment", () => {
  assert.equal(mergeLayers({ flags: {}, env: {}, logentriesToken: "from-etcd" }).env["LOGENTRIES_TOKEN"], "from-etcd");
  assert.equal(mergeLayers({ flags: {}, env: { LOGENTRIES_TOKEN: "from-env" }, logentriesToken: "from-etcd" }).env["LOGENTRIES_TOKEN"], "from-env");
});
