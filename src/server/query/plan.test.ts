import { test } from "node:test";
import assert from "node:assert/strict";
import { LogharborError } from "../../core/errors.js";
import type { Predicate } from "../storage/store.js";
import { matchesEvent, planQuery, planWhere } from "./plan.js";
import type { QueryPlan } from "./plan.js";

const T = (value: string): Predicate => ({ kind: "term", value });
const F = (field: string, op: Extract<Predicate, { kind: "field" }>["op"], value: string | number | Array<string | number>): Predicate => ({ kind: "field", field, op, value });
const R = (source: string, flags = ""): Predicate => ({ kind: "regex", source, flags });
const AND = (...items: Predicate[]): Predicate => ({ kind: "and", items });
const OR = (...items: Predicate[]): Predicate => ({ kind: "or", items });
const NOT = (item: Predicate): Predicate => ({ kind: "not", item });

test("maps the where part to storage predicates, resolving field aliases to journal names", () => {
  const table: Array<[string, Predicate | undefined]> = [
    ["", undefined],
    ["where()", undefined],
    ["groupby(host)", undefined],
    ["error", T("error")],
    ["where(error)", T("error")],
    ["error timeout", AND(T("error"), T("timeout"))],
    ['"connection refused"', { kind: "phrase", value: "connection refused" }],
    ["/err(or)?/i", R("err(or)?", "i")],
    ["/(?P<code>\\d+)/", R("(?<code>\\d+)")],
    ["a OR b", OR(T("a"), T("b"))],
    ["NOT a", NOT(T("a"))],
    ["a b OR NOT c", OR(AND(T("a"), T("b")), NOT(T("c")))],
    ["host = web-1", F("_HOSTNAME", "=", "web-1")],
    ["hostname = web-1", F("_HOSTNAME", "=", "web-1")],
    ["unit = nginx.service", F("_SYSTEMD_UNIT", "=", "nginx.service")],
    ["priority <= 3", F("PRIORITY", "<=", 3)],
    ["priority <= warning", F("PRIORITY", "<=", 4)],
    ["PRIORITY = ERR", F("PRIORITY", "=", 3)],
    ["priority IN [emerg, alert, crit, 5]", F("PRIORITY", "in", [0, 1, 2, 5])],
    ["priority = loud", F("PRIORITY", "=", "loud")],
    ["level = err", F("level", "=", "err")],
    ["container = api", F("CONTAINER_NAME", "=", "api")],
    ["message contains timeout", F("MESSAGE", "contains", "timeout")],
    ["identifier = sshd", F("SYSLOG_IDENTIFIER", "=", "sshd")],
    ["pid != 1", F("_PID", "!=", 1)],
    ["HOST = x", F("HOST", "=", "x")],
    ["_SYSTEMD_UNIT = a.service", F("_SYSTEMD_UNIT", "=", "a.service")],
    ["req.status >= 500", F("req.status", ">=", 500)],
    ["items.0.id = 7", F("items.0.id", "=", 7)],
    ['status = "500"', F("status", "=", "500")],
    ["latency > 1.5", F("latency", ">", 1.5)],
    ["delta < -2", F("delta", "<", -2)],
    ["unit IN [a.service, b.service]", F("_SYSTEMD_UNIT", "in", ["a.service", "b.service"])],
    ['code IN [200, "301", 404]', F("code", "in", [200, "301", 404])],
    ["path STARTS-WITH /api", F("path", "starts-with", "/api")],
    ["host = a OR host = b", OR(F("_HOSTNAME", "=", "a"), F("_HOSTNAME", "=", "b"))],
    ["error host = a priority < 4 groupby(unit)", AND(T("error"), F("_HOSTNAME", "=", "a"), F("PRIORITY", "<", 4))],
  ];
  for (const [query, want] of table) assert.deepEqual(planWhere(query), want, query);
});

test("keeps comparisons on regex named-group fields out of the store and in the post-filter", () => {
  const table: Array<[string, Pick<QueryPlan, "where" | "postFilter" | "regexFields">]> = [
    ["/(?P<status>\\d{3})/ status >= 500", { where: R("(?<status>\\d{3})"), postFilter: F("status", ">=", 500), regexFields: ["status"] }],
    [
      "/(?<status>\\d{3})/ error status >= 500 status != 503",
      { where: AND(R("(?<status>\\d{3})"), T("error")), postFilter: AND(F("status", ">=", 500), F("status", "!=", 503)), regexFields: ["status"] },
    ],
    [
      "/(?<s>\\d+)/ (s > 5 OR error)",
      { where: R("(?<s>\\d+)"), postFilter: OR(F("s", ">", 5), T("error")), regexFields: ["s"] },
    ],
    [
      "/(?<s>\\d+)/ (s > 5 error OR a b)",
      { where: AND(R("(?<s>\\d+)"), OR(T("error"), AND(T("a"), T("b")))), postFilter: OR(AND(F("s", ">", 5), T("error")), AND(T("a"), T("b"))), regexFields: ["s"] },
    ],
    ["/(?<s>\\d+)/ NOT s = 1", { where: R("(?<s>\\d+)"), postFilter: NOT(F("s", "=", 1)), regexFields: ["s"] }],
    ["/(?<s>\\d+)/ OR s = 1", { postFilter: OR(R("(?<s>\\d+)"), F("s", "=", 1)), regexFields: ["s"] }],
    [
      "/(?<host>[a-z]+)=/ host = web",
      { where: R("(?<host>[a-z]+)="), postFilter: F("host", "=", "web"), regexFields: ["host"] },
    ],
    ["/(?<a>x)(?<b>y)/ /(?<a>z)/ a = 1 b = 2", { where: AND(R("(?<a>x)(?<b>y)"), R("(?<a>z)")), postFilter: AND(F("a", "=", 1), F("b", "=", 2)), regexFields: ["a", "b"] }],
    ["/(?<s>\\d+)/ host = x", { where: AND(R("(?<s>\\d+)"), F("_HOSTNAME", "=", "x")), regexFields: ["s"] }],
  ];
  for (const [query, want] of table) {
    const p = planQuery(query);
    const got: Pick<QueryPlan, "where" | "postFilter" | "regexFields"> = { regexFields: p.regexFields };
    if (p.where) got.where = p.where;
    if (p.postFilter) got.postFilter = p.postFilter;
    assert.deepEqual(got, want, query);
    assert.deepEqual(planWhere(query), want.where, query);
  }
});

test("lists the regexes whose named groups the executor extracts, with their columns", () => {
  const text = "error /took (?P<ms>\\d+)ms/i NOT /(?<user>\\w+) logged/ /plain/";
  const p = planQuery(text);
  assert.deepEqual(p.extractors, [
    { source: "took (?<ms>\\d+)ms", flags: "i", fields: ["ms"], pos: text.indexOf("/took") + 1 },
    { source: "(?<user>\\w+) logged", flags: "", fields: ["user"], pos: text.indexOf("/(?<user") + 1 },
  ]);
  assert.deepEqual(p.regexFields, ["ms", "user"]);
});

test("plans statistics: groupby fields resolved, count by default, timeslice as buckets or milliseconds", () => {
  const table: Array<[string, unknown]> = [
    ["error", undefined],
    ["error limit(5)", undefined],
    ["groupby(host)", { groupby: [{ field: "_HOSTNAME", written: "host", pos: 9 }], calculate: { fn: "count" } }],
    [
      "groupby(unit, req.path) calculate(sum:bytes)",
      {
        groupby: [
          { field: "_SYSTEMD_UNIT", written: "unit", pos: 9 },
          { field: "req.path", written: "req.path", pos: 15 },
        ],
        calculate: { fn: "sum", pos: 25, field: { field: "bytes", written: "bytes", pos: 39 } },
      },
    ],
    ["calculate(COUNT)", { groupby: [], calculate: { fn: "count", pos: 1 } }],
    ["calculate(bytes)", { groupby: [], calculate: { fn: "bytes", pos: 1 } }],
    ["calculate(unique:host)", { groupby: [], calculate: { fn: "unique", pos: 1, field: { field: "_HOSTNAME", written: "host", pos: 18 } } }],
    ["calculate(percentile(95):ms)", { groupby: [], calculate: { fn: "percentile", pos: 1, field: { field: "ms", written: "ms", pos: 26 }, percentile: 95 } }],
    ["timeslice(12)", { groupby: [], calculate: { fn: "count" }, timeslice: { buckets: 12 } }],
    ["timeslice(5m)", { groupby: [], calculate: { fn: "count" }, timeslice: { bucketMs: 300_000 } }],
    ["timeslice(1h) calculate(max:priority)", { groupby: [], calculate: { fn: "max", pos: 15, field: { field: "PRIORITY", written: "priority", pos: 29 } }, timeslice: { bucketMs: 3_600_000 } }],
    ["/(?<host>\\w+)/ groupby(host)", { groupby: [{ field: "host", written: "host", pos: 24 }], calculate: { fn: "count" } }],
  ];
  for (const [query, want] of table) assert.deepEqual(planQuery(query).stats, want, query);
});

test("plans sort and limit for statistics or events", () => {
  const table: Array<[string, QueryPlan["sort"], number | undefined]> = [
    ["error", undefined, undefined],
    ["error sort(asc)", { direction: "asc" }, undefined],
    ["limit(10)", undefined, 10],
    ["groupby(host) sort(desc#key) limit(3)", { direction: "desc", by: "key" }, 3],
    ["calculate(count) sort(ASC#value)", { direction: "asc", by: "value" }, undefined],
  ];
  for (const [query, sort, limit] of table) {
    const p = planQuery(query);
    assert.deepEqual(p.sort, sort, query);
    assert.equal(p.limit, limit, query);
  }
});

test("refuses malformed queries with LH_ERR_QUERY_SYNTAX from planWhere and planQuery", () => {
  for (const q of ["where(", "grupby(x)", "x =", "calculate(sum)"]) {
    assert.throws(() => planWhere(q), (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_SYNTAX" && typeof e.position === "number", q);
    assert.throws(() => planQuery(q), LogharborError, q);
  }
});

test("store predicate plus post-filter select exactly what the whole where part selects", () => {
  const events = [
    "GET /a 200 in 5ms",
    "GET /b 503 in 120ms error",
    "POST /c 500 in 80ms",
    "no status here error",
    "GET /d 404 in 1ms",
  ].map((message) => ({ message, fields: {} as Record<string, unknown> }));
  const queries = [
    "/(?<status>\\d{3})/ status >= 500",
    "/(?<status>\\d{3}) in (?<ms>\\d+)ms/ (status >= 500 OR ms < 2)",
    "/(?<status>\\d{3})/ NOT status = 200",
    "/(?<status>\\d{3})/ error OR status = 404",
  ];
  const expected: Record<string, string[]> = {
    [queries[0]!]: ["GET /b 503 in 120ms error", "POST /c 500 in 80ms"],
    [queries[1]!]: ["GET /b 503 in 120ms error", "POST /c 500 in 80ms", "GET /d 404 in 1ms"],
    [queries[2]!]: ["GET /b 503 in 120ms error", "POST /c 500 in 80ms", "GET /d 404 in 1ms", "no status here error"].filter((m) => /\d{3}/.test(m)),
    [queries[3]!]: ["GET /b 503 in 120ms error", "GET /d 404 in 1ms"],
  };
  for (const q of queries) {
    const p = planQuery(q);
    const got = events
      .filter((e) => p.where === undefined || matchesEvent(p.where, e))
      .map((e) => {
        const fields: Record<string, unknown> = { ...e.fields };
        for (const x of p.extractors) Object.assign(fields, new RegExp(x.source, x.flags).exec(e.message)?.groups ?? {});
        return { message: e.message, fields };
      })
      .filter((e) => p.postFilter === undefined || matchesEvent(p.postFilter, e))
      .map((e) => e.message);
    assert.deepEqual(got.sort(), [...expected[q]!].sort(), q);
  }
});
