import { test } from "node:test";
import assert from "node:assert/strict";
import { formatJournalSpec, parseJournalSpec } from "./journal-spec.js";
import { LogharborError } from "../core/errors.js";

const accepted: [string, string][] = [
  ["journalctl", "journalctl"],
  [" journalctl ", "journalctl"],
  ["gatewayd:/run/journald.sock", "gatewayd:/run/journald.sock"],
  ["gatewayd:/tmp/x/gw.sock", "gatewayd:/tmp/x/gw.sock"],
  ["gatewayd:http://host:19531", "gatewayd:http://host:19531"],
  ["gatewayd:http://host:19531/", "gatewayd:http://host:19531"],
  ["gatewayd:https://10.0.0.5:19531", "gatewayd:https://10.0.0.5:19531"],
  ["gatewayd:http://[::1]:19531", "gatewayd:http://[::1]:19531"],
  ["files", "files"],
  ["files:/var/log/journal", "files:/var/log/journal"],
  ["files:/var/log/journal/", "files:/var/log/journal"],
];

const rejected: string[] = [
  "",
  "   ",
  "gatewayd",
  "gatewayd:",
  "gatewayd:run/journald.sock",
  "gatewayd:/",
  "gatewayd:/run/",
  "gatewayd:ftp://host:1",
  "gatewayd:http://",
  "gatewayd:http://host:19531/entries",
  "gatewayd:http://host:19531/?follow",
  "gatewayd:http://user:pw@host:19531",
  "journalctl:/var/log/journal",
  "files:",
  "files:var/log/journal",
  "file:/var/log/journal",
  "journald",
  "/run/journald.sock",
  "http://host:19531",
];

test("accepts the --journal forms and names them back", () => {
  for (const [input, formatted] of accepted) {
    assert.equal(formatJournalSpec(parseJournalSpec(input)), formatted, input);
  }
});

test("rejects empty or garbage --journal values with one line naming the accepted forms", () => {
  for (const input of rejected) {
    assert.throws(
      () => parseJournalSpec(input),
      (e: unknown) =>
        e instanceof LogharborError &&
        e.code === "LH_ERR_JOURNAL_SPEC" &&
        !e.message.includes("\n") &&
        e.message.includes("gatewayd:/path/to/socket, gatewayd:http://host:port, journalctl, files or files:/path/to/dir") &&
        e.message.includes(JSON.stringify(input)),
      JSON.stringify(input),
    );
  }
});
