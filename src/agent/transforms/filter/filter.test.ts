import { test } from "node:test";
import assert from "node:assert/strict";
import { containerFields, entryOf, messages, run, serviceFields } from "../testing.js";
import { FilterTransform } from "./filter.js";
import type { FilterSpec } from "./predicate.js";
import { parsePriority } from "./priority.js";

const ENTRIES = [
  entryOf(serviceFields("GET /healthz 200", { _SYSTEMD_UNIT: "nginx.service", PRIORITY: "6" })),
  entryOf(serviceFields("upstream timed out (110: Connection timed out)", { _SYSTEMD_UNIT: "nginx.service", PRIORITY: "3" })),
  entryOf(serviceFields("Accepted publickey for deploy from 10.0.4.2 port 50122 ssh2", { _SYSTEMD_UNIT: "sshd.service", SYSLOG_IDENTIFIER: "sshd", PRIORITY: "6" })),
  entryOf(serviceFields("Started Session 42 of user deploy.", { _SYSTEMD_UNIT: "systemd-logind.service", PRIORITY: "5" })),
  entryOf(serviceFields("kernel: Out of memory: Killed process 4242 (java)", { _SYSTEMD_UNIT: "", _TRANSPORT: "kernel", PRIORITY: "0" })),
  entryOf(containerFields("level=error msg=\"payment declined\" order=991", { PRIORITY: "3" })),
  entryOf(serviceFields("debug: cache hit key=user:17", { _SYSTEMD_UNIT: "redis-server.service", PRIORITY: "7" })),
];

const CASES: [title: string, spec: FilterSpec, expected: number[]][] = [
  ["include by unit name, with or without .service", { units: { include: ["nginx"] } }, [0, 1]],
  ["include by glob", { units: { include: ["s*.service"] } }, [2, 3]],
  ["exclude wins over include", { units: { include: ["*"], exclude: ["systemd-*", "docker.service"] } }, [0, 1, 2, 4, 6]],
  ["a priority name keeps that level and all more severe", { priority: "notice" }, [1, 3, 4, 5]],
  ["a priority range keeps exactly that range", { priority: "emerg..err" }, [1, 4, 5]],
  ["a numeric range may be given backwards", { priority: "7..5" }, [0, 2, 3, 6]],
  ["field matches are ANDed within a group", { matches: [{ _SYSTEMD_UNIT: "nginx.service", PRIORITY: "3" }] }, [1]],
  ["field match groups are ORed", { matches: [{ _SYSTEMD_UNIT: "sshd.service" }, { CONTAINER_NAME: "k8s_api_api-7d9c6b5f4-x2x9k_payments_5b1c7e0a-3f1e-4c2b-9d8e-7a6b5c4d3e2f_0" }] }, [2, 5]],
  ["message regular expression", { message: "^GET|timed out" }, [0, 1]],
  ["message exclusion", { message_exclude: "healthz|cache hit" }, [1, 2, 3, 4, 5]],
  ["all conditions together", { units: { exclude: ["redis*"] }, priority: "info", message: "[oO]" }, [1, 2, 3, 4, 5]],
  ["unit and message together", { units: { include: ["nginx"] }, message: "timed out" }, [1]],
  ["an empty filter keeps everything", {}, [0, 1, 2, 3, 4, 5, 6]],
];

for (const [title, spec, expected] of CASES) {
  test(`filter: ${title}`, () => {
    const f = new FilterTransform(spec);
    const out = run(f, ENTRIES);
    assert.deepEqual(messages(out), expected.map((i) => ENTRIES[i]!.get("MESSAGE")));
    assert.equal(f.kept, expected.length);
    assert.equal(f.dropped, ENTRIES.length - expected.length);
    for (const e of out) assert.ok(ENTRIES.some((x) => x.raw === e.raw), "kept entries are forwarded as the same bytes");
  });
}

test("filter: a priority spec that is neither a level nor a range is refused with what was expected", () => {
  assert.deepEqual(parsePriority("warning"), { min: 0, max: 4 });
  assert.match(String(parsePriority("loud")), /expected a priority .* got "loud"/);
  assert.match(String(parsePriority("err..")), /got "err.."/);
  assert.throws(() => new FilterTransform({ priority: "loud" }), /got "loud"/);
});

test("filter: an entry without a unit passes an exclude-only filter and fails an include filter", () => {
  const kernel = entryOf(serviceFields("oops", { _SYSTEMD_UNIT: "x" }).filter(([k]) => k !== "_SYSTEMD_UNIT"));
  assert.equal(run(new FilterTransform({ units: { exclude: ["nginx"] } }), [kernel]).length, 1);
  assert.equal(run(new FilterTransform({ units: { include: ["nginx"] } }), [kernel]).length, 0);
});
