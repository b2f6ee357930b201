import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { tempDir } from "../../test/harness/paths.js";
import { describeShipConfig, resolveShipConfig } from "./config.js";
import { DROPIN_TOKEN_MISSING } from "./dropin.js";

const T = "7c832f4b-6cc5-46d8-8e85-7378f9b6582b";

test("with only LOGENTRIES_TOKEN set, ships the gatewayd socket to Logentries over TLS in the short format", async () => {
  const t = tempDir();
  try {
    const r = await resolveShipConfig({ state: join(t.path, "s") }, { LOGENTRIES_TOKEN: T });
    assert.deepEqual(r.problems, []);
    const shown = describeShipConfig(r.config!);
    assert.equal(shown["journal"], "gatewayd:/run/journald.sock");
    assert.equal(shown["to"], "logentries+tls://data.logentries.com:443");
    assert.equal(shown["format"], "short");
    assert.equal(shown["token"], "***");
    assert.equal(shown["ca_file"], "system");
    assert.ok(!JSON.stringify(shown).includes(T));
  } finally {
    t.dispose();
  }
});

test("LOGENTRIES_URL and LOGENTRIES_JOURNAL_SOCKET override the endpoint and the socket", async () => {
  const t = tempDir();
  try {
    const env = { LOGENTRIES_TOKEN: T, LOGENTRIES_URL: "api.logentries.com:20000", LOGENTRIES_JOURNAL_SOCKET: "/tmp/gw.sock" };
    const shown = describeShipConfig((await resolveShipConfig({ state: join(t.path, "s") }, env)).config!);
    assert.equal(shown["to"], "logentries+tls://api.logentries.com:20000");
    assert.equal(shown["journal"], "gatewayd:/tmp/gw.sock");
  } finally {
    t.dispose();
  }
});

test("without --to and without LOGENTRIES_TOKEN, the one problem is journal-2-logentries' own message", async () => {
  const t = tempDir();
  try {
    for (const env of [{}, { LOGENTRIES_TOKEN: "" }, { LOGENTRIES_URL: "h:1" }]) {
      const r = await resolveShipConfig({ state: join(t.path, "s") }, env);
      assert.equal(r.config, undefined);
      assert.deepEqual(r.problems, [DROPIN_TOKEN_MISSING]);
      assert.match(r.problems[0]!, /^non-empty input token \(LOGENTRIES_TOKEN\) is required\. See https:\/\/logentries\.com\/doc\/input-token/);
    }
  } finally {
    t.dispose();
  }
});

test("logentries and syslog destinations resolve with their flags; misuse is reported without echoing tokens", async () => {
  const t = tempDir();
  const state = join(t.path, "s");
  try {
    const ok = await resolveShipConfig({ state, journal: "journalctl", to: [`logentries+tcp://h:10000?token=${T}`], tokenMap: [`unit:nginx=${T}`], logentriesFormat: "json", logentriesFields: "MESSAGE,_PID" }, {});
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(describeShipConfig(ok.config!)["token_map"], ["unit:nginx=***"]);
    assert.deepEqual(describeShipConfig(ok.config!)["fields"], ["MESSAGE", "_PID"]);

    const sys = await resolveShipConfig({ state, journal: "journalctl", to: ["syslog+udp://h:514?format=rfc3164&max_bytes=1200"] }, {});
    assert.deepEqual(sys.problems, []);
    assert.deepEqual({ ...describeShipConfig(sys.config!) }["max_bytes"], 1200);

    const bad = await resolveShipConfig({ state, journal: "journalctl", to: ["logentries+tcp://h:10000?token=not-a-uuid"], tokenMap: ["host:x=secret-token"], logentriesFormat: "xml", caFile: join(t.path, "none.pem") }, {});
    assert.equal(bad.config, undefined);
    const text = bad.problems.join("\n");
    assert.match(text, /--ca-file: cannot read/);
    assert.match(text, /a Logentries token is a UUID/);
    assert.match(text, /--token-map: unknown key "host"/);
    assert.match(text, /--logentries-format: expected one of message, json, short, got "xml"/);
    assert.ok(!text.includes("not-a-uuid") && !text.includes("secret-token"), "tokens are never echoed");
  } finally {
    t.dispose();
  }
});
