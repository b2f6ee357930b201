import { test } from "node:test";
import assert from "node:assert/strict";
import { FieldScanner } from "./field-scan.js";
import { FieldLookup } from "./fields.js";
import { entryOf, serviceFields } from "./testing.js";

test("field lookups sharing one scanner each read their own fields, whichever entry was scanned last", () => {
  const sc = new FieldScanner();
  const a = new FieldLookup(["MESSAGE", "_PID"], sc);
  const b = new FieldLookup(["_SYSTEMD_UNIT", "MESSAGE", "NOT_THERE"], sc);
  const x = entryOf(serviceFields("x message", { _PID: "1", _SYSTEMD_UNIT: "x.service" }));
  const y = entryOf(serviceFields("y message", { _PID: "2", _SYSTEMD_UNIT: "y.service" }));
  a.scan(x);
  b.scan(y);
  assert.equal(a.text(0), "x message", "a's positions are its own copy");
  assert.equal(a.integer(1), 1);
  assert.equal(b.text(0), "y.service");
  assert.equal(b.text(1), "y message");
  assert.equal(b.has(2), false);
  b.scan(x);
  assert.equal(b.text(0), "x.service");
  // A name registered after a scan: the next scan of the same entry finds it.
  const c = new FieldLookup(["_HOSTNAME"], sc);
  assert.equal(c.scan(x).text(0), "node-7.cluster.example");
});

test("a field name that shares its length and first byte with another is told apart, and the first of repeated fields wins", () => {
  const sc = new FieldScanner();
  const f = new FieldLookup(["_BOOT_ID", "_COMM_ID", "TAG"], sc);
  const e = entryOf([["_COMM_ID", "c"], ["TAG", "one"], ["_BOOT_ID", "b"], ["TAG", "two"]]);
  f.scan(e);
  assert.deepEqual([f.text(0), f.text(1), f.text(2)], ["b", "c", "one"]);
});

test("a one-field lookup reads its field both from the shared scan and on its own", () => {
  const sc = new FieldScanner();
  const many = new FieldLookup(["_PID", "MESSAGE"], sc);
  const one = new FieldLookup(["MESSAGE"], sc);
  const x = entryOf(serviceFields("x message"));
  const y = entryOf(serviceFields("y message"));
  many.scan(x);
  assert.equal(one.scan(x).text(0), "x message", "shared: x was scanned last");
  assert.equal(one.scan(y).text(0), "y message", "its own scan");
  assert.equal(many.scan(x).text(1), "x message", "the shared positions were not disturbed");
  assert.equal(one.scan(entryOf(serviceFields("z").filter(([k]) => k !== "MESSAGE"))).has(0), false);
});
