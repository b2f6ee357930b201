import { test } from "node:test";
import assert from "node:assert/strict";
import { containerFields, entryOf, messages, serviceFields } from "../testing.js";
import { Router, routesFor } from "./route.js";

test("route: each sink receives exactly the entries its filter keeps, in order; a sink without filter gets all", () => {
  const es = [
    entryOf(serviceFields("GET / 200", { PRIORITY: "6" })),
    entryOf(serviceFields("upstream timed out", { PRIORITY: "3" })),
    entryOf(containerFields("payment declined", { PRIORITY: "3" })),
    entryOf(serviceFields("Accepted publickey for deploy", { _SYSTEMD_UNIT: "sshd.service", PRIORITY: "5" })),
  ];
  const r = new Router([
    { sink: "errors", filter: { priority: "emerg..err" } },
    { sink: "audit", filter: { units: { include: ["sshd"] } } },
    { sink: "archive" },
    { sink: "containers", filter: { matches: [{ CONTAINER_ID: "3f4e8a9b1c2d" }] } },
  ]);
  const [errors, audit, archive, containers] = r.split(es);
  assert.deepEqual(messages(errors!), ["upstream timed out", "payment declined"]);
  assert.deepEqual(messages(audit!), ["Accepted publickey for deploy"]);
  assert.deepEqual(messages(archive!), messages(es));
  assert.deepEqual(messages(containers!), ["payment declined"]);
  assert.deepEqual(r.routed, [2, 1, 4, 1]);
  assert.equal(errors![0], es[1], "the same entry objects, not copies");
  assert.equal(r.filtered, true);
  assert.equal(new Router([{ sink: "a" }, { sink: "b" }]).filtered, false);
});

test("route: routes follow the destinations' order; unnamed destinations take everything; a route naming no destination is refused", () => {
  const chain = [{ verb: "route" as const, spec: [{ sink: "file:///b", filter: { priority: "err" } }] }];
  const r = routesFor(["http://central:8080", "file:///b"], chain)!;
  assert.deepEqual(r.sinks, ["http://central:8080", "file:///b"]);
  const [all, errors] = r.split([entryOf(serviceFields("ok", { PRIORITY: "6" })), entryOf(serviceFields("bad", { PRIORITY: "3" }))]);
  assert.deepEqual(messages(all!), ["ok", "bad"]);
  assert.deepEqual(messages(errors!), ["bad"]);
  assert.equal(routesFor(["a"], []), undefined);
  assert.throws(() => routesFor(["http://central:8080"], [{ verb: "route", spec: [{ sink: 2 }] }]), /route\[0\]\.sink: expected a destination's position \(0 to 0\) or its URL as given with --to \(http:\/\/central:8080\), got 2/);
  assert.throws(() => routesFor(["a", "b"], [{ verb: "route", spec: [{ sink: 1 }, { sink: "b" }] }]), /route\[1\]\.sink: destination "b" is routed twice/);
});
