import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { DeadlineExceeded, withDeadline } from "../../../core/deadline.js";
import { LogharborError } from "../../../core/errors.js";
import { runWithinBudget } from "../../query/execute/budget.js";
import { registerFunctions } from "./sql-functions.js";

/** One statement that calls lh_regexp 50 million times: minutes, unless something stops it. */
const LONG = `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c LIMIT 50000000)
  SELECT count(*) AS n FROM c WHERE lh_regexp('line ' || n, '(a+)+$', '')`;

test("lh_regexp uses RE2: a catastrophic pattern costs linear time, backreferences are refused", () => {
  const db = new Database(":memory:");
  registerFunctions(db);
  const row = db.prepare("SELECT lh_regexp(?, '(a+)+$', '') AS m, lh_regexp('Took 5MS', 'took \\d+ms', 'i') AS i").get(`${"a".repeat(10_000)}b`) as { m: number; i: number };
  assert.deepEqual({ ...row }, { m: 0, i: 1 });
  assert.throws(() => db.prepare("SELECT lh_regexp('aa', '(a)\\1', '')").get(), /a backreference \\1 .*RE2 syntax/);
  db.close();
});

test("a long statement stops inside SQLite once the query's deadline has passed", () => {
  const db = new Database(":memory:");
  registerFunctions(db);
  assert.throws(() => withDeadline(50, () => db.prepare(LONG).get()), (e: unknown) => e instanceof DeadlineExceeded && e.ms === 50);
  // Outside a deadline the same functions run unchecked (and the connection still works).
  assert.deepEqual({ ...(db.prepare("SELECT lh_regexp('abc', 'b', '') AS m").get() as object) }, { m: 1 });
  db.close();
});

test("runWithinBudget answers an overrunning statement 503 LH_ERR_QUERY_TIMEOUT naming the budget", () => {
  const db = new Database(":memory:");
  registerFunctions(db);
  assert.throws(
    () => runWithinBudget(0, () => db.prepare(LONG).get()),
    (e: unknown) => e instanceof LogharborError && e.code === "LH_ERR_QUERY_TIMEOUT" && e.status === 503 && e.message.includes("time budget of 0 ms"),
  );
  db.close();
});
