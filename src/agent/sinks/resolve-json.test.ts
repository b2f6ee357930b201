import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDestination } from "../destination.js";
import { describeSink, resolveSink } from "./resolve.js";

function resolve(to: string): { d: ReturnType<typeof resolveSink>; problems: string[] } {
  const problems: string[] = [];
  const d = resolveSink(parseDestination(to), {}, {}, problems);
  return { d, problems };
}

test("resolve: a loki URL gives the push base, default labels, and settings from its query; credentials never shown", () => {
  const { d, problems } = resolve("loki+https://u:p%40ss@loki.example:3100/prefix?labels=host=_HOSTNAME,app=SYSLOG_IDENTIFIER&tenant=team-a&line=json&max_label_values=50");
  assert.deepEqual(problems, []);
  assert.ok(d?.kind === "loki");
  assert.equal(d.url.href, "https://u:p%40ss@loki.example:3100/prefix");
  assert.deepEqual(d.labels, { host: "_HOSTNAME", app: "SYSLOG_IDENTIFIER" });
  assert.equal(d.tenant, "team-a");
  assert.equal(d.line, "json");
  assert.equal(d.maxLabelValues, 50);
  assert.equal(d.authorization, "Basic " + Buffer.from("u:p@ss").toString("base64"));
  const shown = JSON.stringify(describeSink(d));
  assert.ok(!shown.includes("p@ss") && !shown.includes("p%40ss") && shown.includes('"auth":"***"'), shown);
  assert.equal(d.display, "loki+https://loki.example:3100/prefix");
});

test("resolve: an elasticsearch URL's last path segment is the index template, logs-%Y.%m.%d by default", () => {
  const a = resolve("elasticsearch+http://es:9200");
  assert.ok(a.d?.kind === "elasticsearch");
  assert.equal(a.d.indexTemplate, "logs-%Y.%m.%d");
  assert.equal(a.d.url.pathname, "/");
  const b = resolve("elasticsearch+https://es:9200/proxy/app-%25Y.%25m");
  assert.ok(b.d?.kind === "elasticsearch");
  assert.equal(b.d.indexTemplate, "app-%Y.%m");
  assert.equal(b.d.url.pathname, "/proxy");
});

test("resolve: file and stdout destinations, with file rotation from the query", () => {
  const f = resolve("file:///var/log/lh/out.ndjson?max_bytes=1048576&max_files=3");
  assert.deepEqual(f.d, { kind: "file", path: "/var/log/lh/out.ndjson", display: "file:///var/log/lh/out.ndjson", maxBytes: 1048576, maxFiles: 3 });
  assert.deepEqual(resolve("stdout:").d, { kind: "stdout", display: "stdout:" });
});

test("resolve: every problem of a JSON destination is reported", () => {
  assert.deepEqual(resolve("loki+http://l:3100?labels=Host=_hostname,ok=MESSAGE&line=xml&color=red").problems, [
    '--to loki+http://l:3100: unknown query parameter "color" (accepted here: ?labels=, ?max_label_values=, ?line=, ?tenant=)',
    '--to loki+http://l:3100: ?labels= expects LABEL=FIELD pairs separated by commas (e.g. host=_HOSTNAME,unit=_SYSTEMD_UNIT), got "Host=_hostname"',
    '--to loki+http://l:3100: ?line= must be message or json, got "xml"',
  ]);
  assert.match(resolve("elasticsearch+http://es:9200/Logs").problems[0]!, /the index: expected an index name .* got "Logs"/);
  assert.match(resolve("file:///tmp/x.ndjson?max_bytes=10").problems[0]!, /\?max_bytes=: must be an integer from 4096/);
});
