// What parsing messages at ingest costs (src/server/storage/message-fields.ts: JSON, key=value, and
// the access-log / klog / level line formats), beside references measured in the same run on the
// same generated messages (nginx access and error lines, klog, logfmt, JSON, plain):
//   insert   SqliteStore.insert of the messages as token TCP makes them (lineEvent), which parses them;
//   scan     the cheapest look at every message (its first character and whether it holds "=");
//   parse    parseMessageFields over every message;
//   formats  parseLineFormat alone (the line formats' share of parse);
//   before   parseJsonOrKeyValues: JSON and key=value only, as ingest parsed before the line formats.
// Printed: messages/s of each, and parse's cost as a share of an insert (parse time / insert time).
//   node dist/bench/message-fields.js [--entries 100000] [--rounds 3]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { FIELD_MESSAGE } from "../src/core/journal/fields.js";
import { fieldOf, generateEntries } from "../src/demo/generator.js";
import { lineEvent } from "../src/server/ingest/common/line-event.js";
import { parseLineFormat } from "../src/server/storage/message-formats.js";
import { parseJsonOrKeyValues, parseMessageFields } from "../src/server/storage/message-fields.js";
import { SqliteStore } from "../src/server/storage/sqlite/sqlite-store.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const entries = arg("entries", 100_000);
const rounds = arg("rounds", 3);
const endUs = Date.UTC(2024, 5, 1) * 1000;
const messages = [...generateEntries({ count: entries, seed: 1, endUs, spanUs: 24 * 3600e6 })].map((f) => fieldOf(f, FIELD_MESSAGE) ?? "");

let sink = 0;
const variants: Record<string, () => number> = {
  scan: () => {
    const t = performance.now();
    for (const m of messages) sink += m.charCodeAt(0) + (m.indexOf("=") >= 0 ? 1 : 0);
    return performance.now() - t;
  },
  formats: () => {
    const t = performance.now();
    for (const m of messages) if (parseLineFormat(m)) sink++;
    return performance.now() - t;
  },
  before: () => {
    const t = performance.now();
    for (const m of messages) if (parseJsonOrKeyValues(m)) sink++;
    return performance.now() - t;
  },
  parse: () => {
    const t = performance.now();
    for (const m of messages) if (parseMessageFields(m)) sink++;
    return performance.now() - t;
  },
  insert: () => {
    const dir = mkdtempSync(join(tmpdir(), "lh-bench-fields-"));
    try {
      const store = SqliteStore.open(dir);
      const log = store.createLog("bench").id;
      const events = messages.map((message) => lineEvent({ message, host: "127.0.0.1", transport: "token-tcp" }));
      const t = performance.now();
      for (let i = 0; i < events.length; i += 10_000) store.insert(log, events.slice(i, i + 10_000));
      const ms = performance.now() - t;
      void store.close();
      return ms;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const best: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(variants)) best[name] = Math.min(best[name] ?? Infinity, run());
}
const parsed = messages.filter((m) => parseMessageFields(m) !== undefined).length;
const byFormat = messages.filter((m) => parseLineFormat(m) !== undefined).length;
process.stdout.write(`${entries} generated messages, ${parsed} with fields (${byFormat} by a line format); best of ${rounds} rounds\n`);
for (const [name, ms] of Object.entries(best)) process.stdout.write(`  ${name.padEnd(8)} ${Math.round((entries / ms) * 1000).toLocaleString("en").padStart(12)} messages/s\n`);
const r = (a: string, b: string) => (best[a]! / best[b]!).toFixed(3);
process.stdout.write(`time ratios: parse/before ${r("parse", "before")}; of an insert: parse ${r("parse", "insert")}, before ${r("before", "insert")}, ` +
  `so an insert with parsing takes ${((best["insert"]! - best["before"]! + best["parse"]!) / best["insert"]!).toFixed(3)}x the time it took before\n`);
if (sink < 0) process.stdout.write("");
