import { test } from "node:test";
import assert from "node:assert/strict";
import { ingestOptions } from "./serve-ingest.js";

test("--forward and --gelf-udp/--gelf-tcp alone take the clients' default ports on 127.0.0.1; an address or PORT as for the others", () => {
  const o = ingestOptions({ forward: true, gelfUdp: true, gelfTcp: "0.0.0.0:12202", forwardDefaultLog: "docker", gelfDefaultLog: "gelf" });
  assert.equal(o.forward, "127.0.0.1:24224");
  assert.equal(o.gelfUdp, "127.0.0.1:12201");
  assert.equal(o.gelfTcp, "0.0.0.0:12202");
  assert.equal(o.forwardDefaultLog, "docker");
  assert.equal(o.gelfDefaultLog, "gelf");
  assert.equal(ingestOptions({ forward: "24225" }).forward, "127.0.0.1:24225");
  assert.equal(ingestOptions({ forward: "off" }).forward, undefined);
  assert.equal(ingestOptions({}).forward, undefined, "off unless asked for");
});

test("--forward-default-log with --forward-auth is refused: the shared key chooses the log", () => {
  assert.throws(() => ingestOptions({ forward: true, forwardAuth: true, forwardDefaultLog: "x" }), /--forward-default-log: not used with --forward-auth/);
  assert.throws(() => ingestOptions({ forwardMaxMessageBytes: "100" }), /--forward-max-message-bytes: expected an integer >= 65536/);
});
