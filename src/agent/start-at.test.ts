import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStartAt } from "./start-at.js";
import { LogharborError } from "../core/errors.js";

test("parses --start-at keywords and times", () => {
  const now = 1_700_000_000_000_000;
  assert.deepEqual(parseStartAt("boot", now), { kind: "boot" });
  assert.deepEqual(parseStartAt("OLDEST", now), { kind: "oldest" });
  assert.deepEqual(parseStartAt("now", now), { kind: "now" });
  assert.deepEqual(parseStartAt("-1h", now), { kind: "time", us: now - 3600e6 });
  assert.deepEqual(parseStartAt("2024-05-01T12:00:00Z", now), { kind: "time", us: Date.UTC(2024, 4, 1, 12) * 1000 });
  // journalctl's forms, as --since takes them.
  assert.deepEqual(parseStartAt("2 hours ago", now), { kind: "time", us: now - 2 * 3600e6 });
  assert.deepEqual(parseStartAt("yesterday", now), { kind: "time", us: (Math.floor(now / 86400e6) - 1) * 86400e6 });
});

test("rejects an unknown --start-at naming what it accepts", () => {
  for (const bad of ["", "last week", "bootx", "12:00"]) {
    assert.throws(
      () => parseStartAt(bad),
      (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_TIME" && e.message.startsWith("--start-at: expected boot, oldest, now or a time") && e.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
});
