// A batch → the body of POST /loki/api/v1/push (JSON): {"streams":[{"stream":{labels},
// "values":[["<unix ns>","<line>"],...]}]}. Loki wants each stream's entries in time order and
// refuses one older than the newest it has for that stream ("entry out of order"), so values are
// sorted per stream and an entry older than what this sink last sent on its stream is sent at that
// time instead (counted as `retimed`).
import type { ExportEntry } from "../../../core/journal/export-entry.js";
import { FIELD_MESSAGE } from "../../../core/journal/fields.js";
import { entryTimeUs, entryToJson } from "../common/entry-json.js";
import type { LabelSet } from "./labels.js";

export type LokiLine = "message" | "json";

export interface LokiStream {
  stream: Record<string, string>;
  values: [string, string][];
}

export class PushBuilder {
  retimed = 0;
  /** Newest timestamp (µs) sent per stream key. */
  private readonly newest = new Map<string, number>();

  constructor(private readonly labels: LabelSet, private readonly line: LokiLine) {}

  build(entries: readonly ExportEntry[], nowUs = Date.now() * 1000): { streams: LokiStream[] } {
    const byKey = new Map<string, { stream: Record<string, string>; items: { us: number; line: string }[] }>();
    for (const e of entries) {
      const { labels, key } = this.labels.of(e);
      let s = byKey.get(key);
      if (s === undefined) byKey.set(key, (s = { stream: labels, items: [] }));
      s.items.push({ us: entryTimeUs(e, nowUs), line: this.line === "json" ? JSON.stringify(entryToJson(e)) : (e.get(FIELD_MESSAGE) ?? "") });
    }
    const streams: LokiStream[] = [];
    for (const [key, s] of byKey) {
      s.items.sort((a, b) => a.us - b.us); // stable: equal times keep their journal order
      const floor = this.newest.get(key) ?? 0;
      let last = floor;
      const values: [string, string][] = s.items.map((it) => {
        let us = it.us;
        if (us < floor) {
          us = floor;
          this.retimed++;
        }
        last = Math.max(last, us);
        return [`${us}000`, it.line];
      });
      this.newest.set(key, last);
      if (this.newest.size > 100_000) this.newest.clear();
      streams.push({ stream: s.stream, values });
    }
    return { streams };
  }
}
