import { test } from "node:test";
import assert from "node:assert/strict";
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { containerFields, entryOf, messages, run, serviceFields } from "../testing.js";
import { MultilineTransform } from "./multiline.js";

const JAVA = `2026-11-27 04:12:07.311 ERROR 1 --- [nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception
java.lang.IllegalStateException: Order 991 is already settled
	at com.example.payments.OrderService.settle(OrderService.java:142)
	at com.example.payments.OrderController.settle(OrderController.java:58)
	at java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
	at org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)
	at org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)
	at java.base/java.lang.Thread.run(Thread.java:833)
Caused by: org.postgresql.util.PSQLException: ERROR: could not serialize access due to concurrent update
	at org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2676)
	at org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)
	... 48 common frames omitted`;

const PYTHON = `Traceback (most recent call last):
  File "/app/worker.py", line 88, in handle
    result = process(job)
  File "/app/worker.py", line 41, in process
    return json.loads(job.payload)
  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads
    return _default_decoder.decode(s)
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/worker.py", line 90, in handle
    raise JobFailed(job.id) from None
worker.JobFailed: job 17 failed`;

const GO = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]

goroutine 1 [running]:
main.(*Server).handle(0x0, {0x7ffd5c0a, 0x3})
	/src/cmd/server/main.go:42 +0x2c
main.main()
	/src/cmd/server/main.go:17 +0x65
exit status 2`;

const NODE = `TypeError: Cannot read properties of undefined (reading 'id')
    at getUser (/app/src/users.js:14:22)
    at async Promise.all (index 0)
    at async /app/src/server.js:33:5`;

const lines = (text: string, over: Record<string, string> = {}) => text.split("\n").map((l) => entryOf(serviceFields(l, { _PID: "4242", ...over })));
const after = () => entryOf(serviceFields("GET /next 200", { _PID: "4242" }));

for (const [lang, text] of [["Java", JAVA], ["Python", PYTHON], ["Go", GO], ["Node", NODE]] as const) {
  test(`multiline: a ${lang} stack trace logged line by line becomes one entry`, () => {
    const m = new MultilineTransform();
    const parts = lines(text);
    const out = run(m, [...parts, after()]);
    assert.deepEqual(messages(out), [text, "GET /next 200"]);
    assert.equal(out[0]!.cursor, parts[parts.length - 1]!.cursor, "the joined entry carries the last piece's cursor");
    assert.equal(out[0]!.get("__SEQNUM"), parts[0]!.get("__SEQNUM"), "and the first piece's identity");
    assert.equal(m.joinedLines, parts.length);
  });
}

test("multiline: lines of different processes are joined per stream, not across", () => {
  const m = new MultilineTransform();
  const a = lines(NODE, { _PID: "100" });
  const b = lines(JAVA, { _PID: "200" });
  const mixed: ExportEntry[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) mixed.push(a[i]!);
    if (b[i]) mixed.push(b[i]!);
  }
  assert.deepEqual(new Set(messages(run(m, mixed))), new Set([NODE, JAVA]));
});

test("multiline: ordinary lines pass one by one, as the same bytes", () => {
  const m = new MultilineTransform();
  const es = ["starting", "listening on :8080", "GET / 200"].map((l) => entryOf(serviceFields(l)));
  const out = run(m, es);
  assert.deepEqual(out.map((e) => e.raw), es.map((e) => e.raw));
  assert.equal(m.held, 0);
});

test("multiline: Docker's pieces of a 40 KiB line are reassembled into one entry", () => {
  const line = Array.from({ length: 40 * 1024 }, (_, i) => "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36]).join("");
  const pieces = [line.slice(0, 16384), line.slice(16384, 32768), line.slice(32768)];
  const es = pieces.map((p, i) => entryOf(containerFields(p, i < 2 ? { CONTAINER_PARTIAL_MESSAGE: "true" } : {})));
  const m = new MultilineTransform();
  const out = run(m, [...es, entryOf(containerFields("next line"))]);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.get("MESSAGE")!.length, 40 * 1024);
  assert.equal(out[0]!.get("MESSAGE"), line);
  assert.equal(out[0]!.has("CONTAINER_PARTIAL_MESSAGE"), false);
  assert.equal(out[0]!.get("CONTAINER_NAME"), es[0]!.get("CONTAINER_NAME"));
  assert.equal(out[0]!.cursor, es[2]!.cursor);
  assert.equal(out[1]!.get("MESSAGE"), "next line");
});

test("multiline: a Docker partial whose piece looks like a new line is still appended", () => {
  const es = [entryOf(containerFields("first half ", { CONTAINER_PARTIAL_MESSAGE: "true" })), entryOf(containerFields("GET / 200"))];
  assert.deepEqual(messages(run(new MultilineTransform(), es)), ["first half GET / 200"]);
});

test("multiline: a group with no new line within timeout_ms is closed by flush; a younger one stays", () => {
  let now = 0;
  const m = new MultilineTransform({ timeout_ms: 1000 }, "multiline", () => now);
  const out: ExportEntry[] = [];
  for (const e of lines(NODE, { _PID: "1" })) m.process(e, out);
  now = 600;
  m.process(entryOf(serviceFields("tick", { _PID: "2" })), out);
  assert.equal(out.length, 0);
  assert.equal(m.held, 5);
  m.flush(999, out, false);
  assert.equal(out.length, 0, "not yet");
  m.flush(1000, out, false);
  assert.deepEqual(messages(out), [NODE]);
  assert.equal(m.held, 1);
  m.flush(1600, out, false);
  assert.deepEqual(messages(out), [NODE, "tick"]);
});

test("multiline: max_lines closes a group that keeps growing", () => {
  const m = new MultilineTransform({ max_lines: 3 });
  const out = run(m, lines(NODE));
  assert.equal(out.length, 2);
  assert.equal(out[0]!.get("MESSAGE")!.split("\n").length, 3);
});

test("multiline: the resume cursor points before the oldest held entry", () => {
  const m = new MultilineTransform();
  const out: ExportEntry[] = [];
  const x = entryOf(serviceFields("x", { _PID: "1" }));
  const y = entryOf(serviceFields("y", { _PID: "2" }));
  const z = entryOf(serviceFields("z", { _PID: "1" }));
  for (const e of [x, y, z]) m.process(e, out);
  assert.deepEqual(messages(out), ["x"]);
  assert.equal(m.resumeCursor(), x.cursor, "y (held) was read after x");
});

test("multiline: a quiet stream's open group holds back thousands of later lines, which leave in read order once it closes", () => {
  const m = new MultilineTransform({ timeout_ms: 60_000 });
  const out: ExportEntry[] = [];
  const start = entryOf(serviceFields("java.lang.IllegalStateException: held", { _PID: "7" }));
  m.process(start, out);
  const others = Array.from({ length: 3000 }, (_, i) => entryOf(serviceFields(`line ${i}`, { _PID: String(100 + (i % 40)) })));
  const noPid = entryOf(serviceFields("no process id").filter(([k]) => k !== "_PID"));
  for (const e of others.slice(0, 1500)) m.process(e, out);
  m.process(noPid, out);
  for (const e of others.slice(1500)) m.process(e, out);
  assert.equal(out.length, 0, "everything waits behind the open group");
  assert.equal(m.held, 3002);
  m.process(entryOf(serviceFields("\tat com.example.App.main(App.java:7)", { _PID: "7" })), out);
  m.process(entryOf(serviceFields("next", { _PID: "7" })), out);
  assert.deepEqual(messages(out).slice(0, 3), ["java.lang.IllegalStateException: held\n\tat com.example.App.main(App.java:7)", "line 0", "line 1"]);
  assert.equal(out[1501]!.raw, noPid.raw, "an entry without a stream keeps its place");
  // The last line of each of the 40 other streams and "next" are still open.
  assert.equal(out.length, 1 + 3001 - 40);
  assert.equal(m.held, 41);
  m.flush(0, out, true);
  assert.deepEqual(messages(out).slice(1), [...others.slice(0, 1500), noPid, ...others.slice(1500)].map((e) => e.get("MESSAGE")).concat("next"));
  assert.equal(m.held, 0);
});

test("multiline: a stream whose group timed out starts a new one; a lone Docker partial closed by the timeout loses its markers", () => {
  let now = 0;
  const m = new MultilineTransform({ timeout_ms: 100 }, "multiline", () => now);
  const out: ExportEntry[] = [];
  m.process(entryOf(serviceFields("Error: first", { _PID: "5" })), out);
  now = 150;
  m.flush(now, out, false);
  assert.deepEqual(messages(out), ["Error: first"]);
  m.process(entryOf(serviceFields("    at f (/a.js:1:1)", { _PID: "5" })), out);
  m.process(entryOf(containerFields("half a line", { CONTAINER_PARTIAL_MESSAGE: "true" })), out);
  now = 300;
  m.flush(now, out, false);
  assert.deepEqual(messages(out), ["Error: first", "    at f (/a.js:1:1)", "half a line"], "the frame after the timeout is not joined to the closed group");
  assert.equal(out[2]!.has("CONTAINER_PARTIAL_MESSAGE"), false);
  assert.equal(m.forcedCloses, 1);
  assert.equal(m.held, 0);
});

test("multiline: reading a backlog, groups close once the journal's time has moved on by timeout_ms, so what is held stays bounded", () => {
  const frozen = () => 0; // wall time stands still: only journal time can close a group
  const t = new MultilineTransform({ timeout_ms: 1000 }, "multiline", frozen);
  const base = 1_800_000_000_000_000;
  const entries = Array.from({ length: 6000 }, (_, i) =>
    entryOf(serviceFields(`line ${i}`, { _PID: String(20_000 + i), __REALTIME_TIMESTAMP: String(base + i * 1000) })),
  );
  const out: ExportEntry[] = [];
  let maxHeld = 0;
  for (const e of entries) {
    t.process(e, out);
    maxHeld = Math.max(maxHeld, t.held);
  }
  // 1 ms apart: 1,000 entries make timeout_ms of journal time; groups are swept every 1,024 entries.
  assert.ok(maxHeld > 1000 && maxHeld <= 1000 + 2 * 1024, `held at most ${maxHeld}`);
  assert.ok(out.length >= 6000 - 1000 - 2 * 1024, `emitted before the end: ${out.length}`);
  t.flush(0, out, true);
  assert.deepEqual(messages(out), entries.map((_, i) => `line ${i}`), "every entry, once, in order");
});

test("multiline: a line later than timeout_ms in journal time starts a new group, however fast it is read", () => {
  const t = new MultilineTransform({ timeout_ms: 1000 }, "multiline", () => 0);
  const base = 1_800_000_000_000_000;
  const at = (message: string, us: number) => entryOf(serviceFields(message, { _PID: "4242", __REALTIME_TIMESTAMP: String(base + us) }));
  const out = run(t, [
    at("ERROR settling order 7", 0),
    at("java.lang.IllegalStateException: already settled", 500_000),
    at("\tat com.example.Orders.settle(Orders.java:12)", 2_000_000),
  ]);
  assert.deepEqual(messages(out), ["ERROR settling order 7\njava.lang.IllegalStateException: already settled", "\tat com.example.Orders.settle(Orders.java:12)"]);
});
