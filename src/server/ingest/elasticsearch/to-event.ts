// An Elasticsearch document → an event. Field naming (docs/ingest.md, Elasticsearch): the
// document's fields, flattened as dot paths (`http.response.status_code`, `tags.0`), are fields
// under those names, plus `_index`; the message is the first present of the message fields
// (field-options.ts; none: the document as sent), the time the first present time field (else
// arrival); both leave the fields. Columns: host = `host.name`, `hostname`, `host` or
// `agent.hostname` (else the sender's address); unit = `systemd.unit`, `service.name` or `unit`;
// CONTAINER_NAME = `container.name`; priority = `log.syslog.severity.code` (0..7), else the word
// in `log.level`, `level` or `severity`.
import type { NewEvent } from "../../storage/store.js";
import { flattenObject } from "../../storage/message-fields.js";
import type { RecordEvents } from "../common/record-events.js";
import { boundedText } from "../common/record-text.js";
import { priorityOfNumber, priorityOfWord } from "../common/severity.js";
import type { FieldOptions } from "./field-options.js";
import { timeValueUs } from "./time-value.js";

export const TRANSPORT = "elasticsearch";

const HOST = ["host.name", "hostname", "host", "agent.hostname"];
const UNIT = ["systemd.unit", "service.name", "unit"];
const LEVEL = ["log.level", "level", "severity"];

function first(names: readonly string[], a: Record<string, string | number>): string | undefined {
  for (const n of names) {
    const v = a[n];
    if ((typeof v === "string" && v !== "") || typeof v === "number") return String(v);
  }
  return undefined;
}

export function documentEvent(
  doc: Record<string, unknown>, raw: string, index: string, opts: FieldOptions, o: { peer: string | null; maxRecordBytes: number; nowUs: number; make: RecordEvents },
): NewEvent {
  const attrs: Record<string, string | number> = flattenObject(doc) ?? {};
  for (const f of opts.ignoreFields) delete attrs[f];
  let message: string | undefined;
  for (const f of opts.msgFields) {
    const v = attrs[f];
    if (v === undefined) continue;
    message = String(v);
    delete attrs[f];
    break;
  }
  let tsUs: number | undefined;
  for (const f of opts.timeFields) {
    const t = timeValueUs(attrs[f]);
    if (t === undefined) continue;
    tsUs = t;
    delete attrs[f];
    break;
  }
  attrs["_index"] = index;
  const m = boundedText(message ?? raw, o.maxRecordBytes);
  const container = attrs["container.name"];
  const level = first(LEVEL, attrs);
  const priority = priorityOfNumber(attrs["log.syslog.severity.code"]) ?? (level === undefined ? null : priorityOfWord(level));
  return o.make.event({
    message: m.text, host: first(HOST, attrs) ?? o.peer, tsUs: tsUs ?? o.nowUs,
    unit: first(UNIT, attrs) ?? null, priority, truncated: m.truncated,
    container: container === undefined ? undefined : String(container), attributes: attrs,
  });
}
