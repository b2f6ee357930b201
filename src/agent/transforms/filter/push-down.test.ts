import { test } from "node:test";
import assert from "node:assert/strict";
import { realisticEntry } from "../../../../test/harness/journal-entries.js";
import { entryMatches, journalctlMatchArgs, singleGroup } from "../../sources/matches.js";
import type { TransformConfig } from "../config.js";
import { entryOf } from "../testing.js";
import { compileFilter, type FilterSpec } from "./predicate.js";
import { pushDownMatches } from "./push-down.js";

const filter = (spec: FilterSpec): TransformConfig => ({ verb: "filter", spec });

// [title, chain, journalctl arguments (undefined: nothing pushed down)]
const CASES: [string, TransformConfig[], string[] | undefined][] = [
  ["a unit without a dot matches it and NAME.service", [filter({ units: { include: ["nginx"] } })], ["_SYSTEMD_UNIT=nginx", "_SYSTEMD_UNIT=nginx.service"]],
  ["a priority becomes every level it keeps", [filter({ priority: "err" })], ["PRIORITY=0", "PRIORITY=1", "PRIORITY=2", "PRIORITY=3"]],
  ["conditions of one filter are ANDed", [filter({ units: { include: ["sshd.service"] }, priority: "3..4" })], ["_SYSTEMD_UNIT=sshd.service", "PRIORITY=3", "PRIORITY=4"]],
  ["match groups are ORed with +", [filter({ matches: [{ _SYSTEMD_UNIT: "a.service", PRIORITY: "3" }, { CONTAINER_NAME: "api" }] })], ["_SYSTEMD_UNIT=a.service", "PRIORITY=3", "+", "CONTAINER_NAME=api"]],
  ["a condition on a field a group already has narrows it; impossible groups go", [filter({ units: { include: ["a.service"] }, matches: [{ _SYSTEMD_UNIT: "a.service" }, { _SYSTEMD_UNIT: "b.service" }, { X: "1" }] })], ["_SYSTEMD_UNIT=a.service", "+", "_SYSTEMD_UNIT=a.service", "X=1"]],
  ["leading filters are ANDed", [filter({ priority: "emerg" }), filter({ units: { include: ["x.service"] } }), { verb: "redact", spec: {} }], ["PRIORITY=0", "_SYSTEMD_UNIT=x.service"]],
  ["globs, exclusions and message expressions stay with the agent", [filter({ units: { include: ["ngin*"], exclude: ["cron"] }, message: "x" })], undefined],
  ["a filter after another transform is not pushed down", [{ verb: "multiline", spec: {} }, filter({ priority: "err" })], undefined],
  ["a filter that can never pass pushes nothing", [filter({ units: { include: ["a.service"] }, matches: [{ _SYSTEMD_UNIT: "b.service" }] })], undefined],
];

for (const [title, chain, args] of CASES) {
  test(`push-down: ${title}`, () => {
    const m = pushDownMatches(chain);
    assert.deepEqual(m === undefined ? undefined : journalctlMatchArgs(m), args);
  });
}

test("push-down: gatewayd gets one group, widened to the fields every group constrains", () => {
  assert.deepEqual(singleGroup([{ U: ["a"], P: ["3"] }, { U: ["b"] }]), { U: ["a", "b"] });
  assert.equal(singleGroup([{ U: ["a"] }, { C: ["x"] }]), undefined);
  assert.deepEqual(singleGroup([{ U: ["a"], P: ["3"] }]), { U: ["a"], P: ["3"] });
});

test("push-down: every entry a filter keeps satisfies the matches pushed down for it (a superset, never fewer)", () => {
  const specs: FilterSpec[] = [
    { units: { include: ["nginx", "sshd.service"] }, priority: "warning" },
    { matches: [{ _SYSTEMD_UNIT: "nginx.service", PRIORITY: "3" }, { SYSLOG_IDENTIFIER: "cron" }], priority: "err..notice" },
    { units: { include: ["docker"], exclude: ["x*"] }, message: "status=200", matches: [{ _PID: "1001" }, { _PID: "1002" }] },
  ];
  const entries = Array.from({ length: 400 }, (_, i) => entryOf(realisticEntry(i)));
  for (const spec of specs) {
    const m = pushDownMatches([filter(spec)])!;
    const keep = compileFilter(spec);
    let n = 0;
    for (const e of entries) {
      if (!keep(e)) continue;
      n++;
      assert.ok(entryMatches(m, e), `kept by ${JSON.stringify(spec)} but not matched: SEQ ${e.get("SEQ")}`);
      assert.ok(entryMatches([singleGroup(m)!], e));
    }
    assert.ok(n > 0, `${JSON.stringify(spec)} keeps something`);
  }
});
