import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BUFFER_DIR, DEAD_LETTER_DIR, laneDestination, laneName, prepareLanes } from "./lane-dirs.js";
import { tempDir } from "../../../test/harness/paths.js";

const A = { kind: "harbor", display: "http://a:8080" };
const B = { kind: "harbor", display: "http://b:8080" };
const F = { kind: "file", display: "file:///var/log/x.ndjson" };
const SEG = "0000000000000001.seg";

function withState(fn: (dir: string) => void): void {
  const t = tempDir();
  try {
    fn(t.path);
  } finally {
    t.dispose();
  }
}

test("lanes are named after their destination, so a reordered list keeps each destination's buffer", () => withState((state) => {
  const first = prepareLanes(state, [A, B, F]).names;
  assert.deepEqual(first, [laneName("harbor", A.display), laneName("harbor", B.display), laneName("file", F.display)]);
  assert.notEqual(first[0], first[1], "two destinations of one kind have their own lanes");
  for (const n of first) assert.match(n, /^(harbor|file)-[0-9a-f]{12}$/);
  writeFileSync(join(state, BUFFER_DIR, first[1]!, SEG), "B's unsent entries");
  const again = prepareLanes(state, [F, B]);
  assert.deepEqual(again.names, [first[2], first[1]], "B keeps its lane at another position");
  assert.equal(readFileSync(join(state, BUFFER_DIR, again.names[1]!, SEG), "utf8"), "B's unsent entries");
  assert.equal(laneDestination(state, again.names[1]!), B.display);
  assert.deepEqual(again.adopted, []);
  assert.deepEqual(again.orphaned, [{ lane: first[0], to: A.display }], "A's lane is left alone and reported, not given to anyone");
}));

test("the lane of a destination whose URL changed is taken over when it is the only one of its kind on both sides", () => withState((state) => {
  const [a] = prepareLanes(state, [A, F]).names;
  writeFileSync(join(state, BUFFER_DIR, a!, SEG), "unsent");
  mkdirSync(join(state, DEAD_LETTER_DIR, a!), { recursive: true });
  const moved = prepareLanes(state, [F, B]);
  assert.deepEqual(moved.adopted, [{ from: a, fromTo: A.display, to: laneName("harbor", B.display) }]);
  assert.deepEqual(moved.orphaned, []);
  assert.equal(readFileSync(join(state, BUFFER_DIR, moved.names[1]!, SEG), "utf8"), "unsent");
  assert.equal(laneDestination(state, moved.names[1]!), B.display, "the lane now names its new destination");
  assert.deepEqual(readdirSync(join(state, DEAD_LETTER_DIR)), [moved.names[1]], "its dead letters moved with it");
}));

test("an older version's one lane (0-KIND) is taken over by the one destination of its kind; with two, it is left unsent", () => {
  const legacy = (state: string) => {
    mkdirSync(join(state, BUFFER_DIR, "0-harbor"), { recursive: true });
    writeFileSync(join(state, BUFFER_DIR, "0-harbor", SEG), "old");
  };
  withState((state) => {
    legacy(state);
    const plan = prepareLanes(state, [F, A]);
    assert.equal(plan.adopted[0]?.from, "0-harbor");
    assert.equal(readFileSync(join(state, BUFFER_DIR, plan.names[1]!, SEG), "utf8"), "old");
  });
  withState((state) => {
    legacy(state);
    const plan = prepareLanes(state, [A, B]);
    assert.deepEqual(plan.adopted, []);
    assert.deepEqual(plan.orphaned, [{ lane: "0-harbor", to: undefined }], "two candidates: which one it belonged to is not known");
    assert.deepEqual(readdirSync(join(state, BUFFER_DIR, plan.names[0]!)), ["destination.json"]);
  });
});
