// A store of N generated demo entries over a time span, loaded through the store's own insert path
// (journal export → journalEntryToEvent → SqliteStore.insert), kept in DIR for later runs:
// DIR/bench-store.json records what it holds.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { encodeExportEntry } from "../../src/core/journal/export-encoder.js";
import { ExportParser } from "../../src/core/journal/export-parser.js";
import { generateEntries } from "../../src/demo/generator.js";
import { journalEntryToEvent } from "../../src/server/ingest/journal/to-event.js";
import { SqliteStore } from "../../src/server/storage/sqlite/sqlite-store.js";
import type { NewEvent } from "../../src/server/storage/store.js";

export interface GeneratedStore {
  /** The newest entry's time (µs); entries span `spanUs` before it. */
  endUs: number;
  entries: number;
  /** False when DIR already held the store. */
  loaded: boolean;
  seconds: number;
}

/** Loads `entries` entries into log "bench" in dir, unless dir already holds them. */
export async function generatedStore(dir: string, entries: number, spanUs: number): Promise<GeneratedStore> {
  const meta = join(dir, "bench-store.json");
  if (existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, "utf8")) as { endUs: number; entries: number };
    return { endUs: m.endUs, entries: m.entries, loaded: false, seconds: 0 };
  }
  const endUs = Date.now() * 1000;
  const store = SqliteStore.open(dir);
  const log = store.createLog("bench");
  const parser = new ExportParser();
  let batch: NewEvent[] = [];
  const t0 = performance.now();
  for (const fields of generateEntries({ count: entries, endUs, spanUs })) {
    for (const entry of parser.push(encodeExportEntry(fields))) batch.push(journalEntryToEvent(entry));
    if (batch.length >= 5000) {
      store.insert(log.id, batch);
      batch = [];
    }
  }
  for (const entry of parser.end()) batch.push(journalEntryToEvent(entry));
  if (batch.length > 0) store.insert(log.id, batch);
  await store.close();
  writeFileSync(meta, JSON.stringify({ endUs, entries }));
  return { endUs, entries, loaded: true, seconds: (performance.now() - t0) / 1000 };
}
