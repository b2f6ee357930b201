// Loki streams → events. Field naming (docs/ingest.md, Loki): every stream label and every entry's
// structured metadata is a field under its own name (`job`, `namespace`, `trace_id`; metadata wins
// over a label of the same name); the line is the message (a JSON or key=value line is also parsed
// into fields, as for any message). Columns, where a label means that: host = `host`, `hostname`,
// `nodename` or `node_name` (else the sender's address); unit = `unit`, `systemd_unit`,
// `service_name`, `service` or `app`; CONTAINER_NAME = `container` or `container_name`; priority
// from `level`, `detected_level`, `severity` or `lvl`. Time: the entry's (arrival when 0).
import type { NewEvent } from "../../storage/store.js";
import { RecordEvents } from "../common/record-events.js";
import { boundedText } from "../common/record-text.js";
import { priorityOfWord } from "../common/severity.js";
import type { LokiStream } from "./decode.js";

export const TRANSPORT = "loki";

const HOST = ["host", "hostname", "nodename", "node_name"];
const UNIT = ["unit", "systemd_unit", "service_name", "service", "app"];
const CONTAINER = ["container", "container_name"];
const LEVEL = ["level", "detected_level", "severity", "lvl"];

function first(names: readonly string[], a: Record<string, string | number>): string | undefined {
  for (const n of names) {
    const v = a[n];
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

export function lokiEvents(streams: readonly LokiStream[], o: { peer: string | null; maxRecordBytes: number; nowUs?: number }): { events: NewEvent[]; bytes: number[] } {
  const events: NewEvent[] = [];
  const bytes: number[] = [];
  const nowUs = o.nowUs ?? Date.now() * 1000;
  const make = new RecordEvents(TRANSPORT);
  for (const s of streams) {
    for (const e of s.entries) {
      const attrs: Record<string, string | number> = e.metadata ? { ...s.labels, ...e.metadata } : { ...s.labels };
      const container = first(CONTAINER, attrs);
      const level = first(LEVEL, attrs);
      const m = boundedText(e.line, o.maxRecordBytes);
      const ev = make.event({
        message: m.text, host: first(HOST, attrs) ?? o.peer, tsUs: e.tsUs > 0 ? e.tsUs : nowUs,
        unit: first(UNIT, attrs) ?? null, priority: level === undefined ? null : priorityOfWord(level), truncated: m.truncated,
        container, attributes: attrs,
      });
      events.push(ev);
      bytes.push(m.text.length + ev.fieldsJson.length);
    }
  }
  return { events, bytes };
}
