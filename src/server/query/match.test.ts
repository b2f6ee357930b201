import { test } from "node:test";
import assert from "node:assert/strict";
import type { Predicate } from "../storage/store.js";
import { containsWord, fieldValues, matchesEvent } from "./match.js";
import type { MatchableEvent } from "./match.js";
import { planWhere } from "./plan.js";

const ev = (message: string, fields: Record<string, unknown> = {}, extra: Partial<MatchableEvent> = {}): MatchableEvent => ({ message, fields, ...extra });

test("matches terms as whole words, case-insensitively", () => {
  const table: Array<[string, string, boolean]> = [
    ["error", "error", true],
    ["error", "Error: disk full", true],
    ["ERROR", "an error occurred", true],
    ["error", "db-error", true],
    ["error", "(error)", true],
    ["error", "errors", false],
    ["error", "terror", false],
    ["error", "error42", false],
    ["error", "", false],
    ["nginx.service", "started nginx.service ok", true],
    ["nginx.service", "started nginx.services", false],
    ["10:30", "at 10:30:15", true],
    ["-5", "offset x-5", true],
    ["[warn]", "x [WARN] y", true],
    ["café", "au CAFÉ", true],
    ["café", "cafés", false],
    ["日本", "日本語", false],
    ["500", "HTTP 500", true],
    ["500", "HTTP 5000", false],
    ["a", "b a c", true],
    ["", "anything", false],
  ];
  for (const [word, text, want] of table) {
    assert.equal(containsWord(text, word), want, `${word} in ${text}`);
    assert.equal(matchesEvent({ kind: "term", value: word }, ev(text)), want, `${word} in ${text}`);
  }
});

test("matches phrases as case-insensitive substrings and regexes with their flags", () => {
  const table: Array<[Predicate, string, boolean]> = [
    [{ kind: "phrase", value: "connection refused" }, "Connection Refused by peer", true],
    [{ kind: "phrase", value: "connection refused" }, "connection was refused", false],
    [{ kind: "phrase", value: "rror" }, "error", true],
    [{ kind: "regex", source: "err(or)?", flags: "" }, "an err", true],
    [{ kind: "regex", source: "error", flags: "" }, "ERROR", false],
    [{ kind: "regex", source: "error", flags: "i" }, "ERROR", true],
    [{ kind: "regex", source: "^b$", flags: "" }, "a\nb", false],
    [{ kind: "regex", source: "^b$", flags: "m" }, "a\nb", true],
    [{ kind: "regex", source: "a.b", flags: "" }, "a\nb", false],
    [{ kind: "regex", source: "a.b", flags: "s" }, "a\nb", true],
    [{ kind: "regex", source: "(?<s>\\d{3})", flags: "" }, "HTTP 503", true],
    [{ kind: "regex", source: "x", flags: "g" }, "x", true],
  ];
  for (const [pred, text, want] of table) {
    assert.equal(matchesEvent(pred, ev(text)), want, `${JSON.stringify(pred)} on ${text}`);
    assert.equal(matchesEvent(pred, ev(text)), want, "stateless on repeat");
  }
});

test("compares fields as numbers when the value is a number, as strings otherwise, as the SQLite store does", () => {
  const e = ev("m", {
    PRIORITY: "3",
    _HOSTNAME: "web-1",
    status: "503",
    latency: 1.5,
    name: "Alice",
    TAG: ["a", "b"],
    empty: "",
    bin: { base64: "AAE=" },
    flag: true,
    nothing: null,
    padded: " 42 ",
    hex: "0x1F",
    sci: "1e3",
    inf: "Infinity",
    req: { status: 200, path: "/api/v1/users", items: [{ id: 7 }] },
    "dotted.key": "yes",
  });
  const table: Array<[string, string | number | Array<string | number>, Extract<Predicate, { kind: "field" }>["op"], boolean]> = [
    ["PRIORITY", 3, "=", true],
    ["PRIORITY", "3", "=", true],
    ["PRIORITY", 3.0, "<=", true],
    ["PRIORITY", 4, "<", true],
    ["PRIORITY", 10, "<", true],
    ["PRIORITY", "10", "<", false],
    ["PRIORITY", 3, "!=", false],
    ["PRIORITY", 2, ">", true],
    ["PRIORITY", 3, ">=", true],
    ["status", 500, ">=", true],
    ["status", 503, "=", true],
    ["status", "503", "=", true],
    ["status", 600, ">=", false],
    ["latency", 1.5, "=", true],
    ["latency", 2, "<", true],
    ["latency", "1.5", "=", true],
    ["padded", 42, "=", true],
    ["hex", 31, "=", true],
    ["sci", 1000, "=", true],
    ["inf", 1, "<", false],
    ["padded", "42", "=", false],
    ["name", "Alice", "=", true],
    ["name", "alice", "=", false],
    ["name", "alice", "!=", true],
    ["name", "B", "<", true],
    ["name", "A", ">", true],
    ["name", 5, "=", false],
    ["name", 5, "!=", true],
    ["name", 5, "<", false],
    ["name", "LIC", "contains", true],
    ["name", "al", "starts-with", true],
    ["name", "ce", "starts-with", false],
    ["name", ["Bob", "Alice"], "in", true],
    ["name", ["Bob", "Carol"], "in", false],
    ["status", [404, 503], "in", true],
    ["status", ["404", "503"], "in", true],
    ["status", [404, 500], "in", false],
    ["_HOSTNAME", "web-1", "=", true],
    ["_HOSTNAME", "WEB", "contains", true],
    ["TAG", "b", "=", true],
    ["TAG", "c", "=", false],
    ["TAG", "a", "!=", false],
    ["TAG", "c", "!=", true],
    ["TAG", ["x", "a"], "in", true],
    ["empty", "", "=", true],
    ["empty", 0, "=", false],
    ["bin", "AAE=", "=", false],
    ["bin", "x", "!=", true],
    ["flag", "true", "=", true],
    ["nothing", "x", "!=", true],
    ["missing", "x", "=", false],
    ["missing", "x", "!=", true],
    ["missing", 1, "!=", true],
    ["missing", ["x"], "in", false],
    ["missing", "x", "contains", false],
    ["missing", 0, "<", false],
    ["req.status", 200, "=", true],
    ["req.status", 300, "<", true],
    ["req.path", "/api", "starts-with", true],
    ["req.items.0.id", 7, "=", true],
    ["req.items.1.id", 7, "=", false],
    ["req.nope.deeper", 1, "=", false],
    ["dotted.key", "yes", "=", true],
    ["MESSAGE", "m", "=", true],
  ];
  for (const [field, value, op, want] of table) {
    assert.equal(matchesEvent({ kind: "field", field, op, value }, e), want, `${field} ${op} ${JSON.stringify(value)}`);
  }
});

test("falls back to the event's host, unit and priority columns for journal fields", () => {
  const e = ev("m", {}, { host: "db-2", unit: "pg.service", priority: 4 });
  assert.equal(matchesEvent({ kind: "field", field: "_HOSTNAME", op: "=", value: "db-2" }, e), true);
  assert.equal(matchesEvent({ kind: "field", field: "_SYSTEMD_UNIT", op: "=", value: "pg.service" }, e), true);
  assert.equal(matchesEvent({ kind: "field", field: "PRIORITY", op: "<", value: 5 }, e), true);
  assert.equal(matchesEvent({ kind: "exists", field: "_HOSTNAME" }, e), true);
  assert.equal(matchesEvent({ kind: "exists", field: "_PID" }, e), false);
  assert.deepEqual(fieldValues(ev("m", { _HOSTNAME: "x" }, { host: "y" }), "_HOSTNAME"), ["x"]);
});

test("evaluates whole planned queries against events", () => {
  const e = ev("GET /users 503 took 120ms: upstream Timeout", {
    _HOSTNAME: "web-1",
    _SYSTEMD_UNIT: "nginx.service",
    PRIORITY: "3",
    req: { status: 503 },
  });
  const table: Array<[string, boolean]> = [
    ["timeout", true],
    ["timeout upstream", true],
    ["timeout nothere", false],
    ["timeout OR nothere", true],
    ["NOT nothere", true],
    ["NOT timeout", false],
    ['"upstream timeout"', true],
    ['"timeout upstream"', false],
    ["/took \\d+ms/", true],
    ["/TOOK/", false],
    ["/TOOK/i", true],
    ["host = web-1", true],
    ["host = web-2", false],
    ["unit = nginx.service priority <= 3", true],
    ["priority < 3", false],
    ["req.status >= 500", true],
    ["req.status IN [500, 502]", false],
    ["host IN [web-1, web-2] AND (timeout OR refused)", true],
    ["host STARTS-WITH WEB", true],
    ["unit CONTAINS nginx", true],
    ["(a OR b) OR (timeout AND NOT host = db)", true],
    ["NOT (timeout OR x)", false],
  ];
  for (const [query, want] of table) assert.equal(matchesEvent(planWhere(query)!, e), want, query);
});
