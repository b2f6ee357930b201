// An OTLP ExportLogsServiceRequest (decoded from protobuf or read from OTLP/JSON: the same shape)
// → events. Field naming (docs/ingest.md, OTLP):
//   - message: the body (a string as is; a map or array as JSON, whose leaves the store also parses
//     into fields); none: the event name;
//   - resource, scope and record attributes: fields under their own names (`service.name`,
//     `http.route`; nested values as dot paths), a record's attribute winning over its scope's,
//     which wins over the resource's; `scope.name`, `scope.version`;
//   - `severity` (severity_text, else the number's name), `severity_number`, `trace_id`, `span_id`
//     (hex), `event.name`;
//   - columns: host = `host.name` (else the sender's address), unit = `service.name`, priority from
//     the severity, time = time_unix_nano, else observed_time_unix_nano, else arrival;
//     CONTAINER_NAME (the `container` alias) = `k8s.container.name` or `container.name`.
// A record that is not an object (OTLP/JSON), or has no body, no attributes and no event name, is
// rejected (counted in partial_success); the others are stored.
import type { NewEvent } from "../../storage/store.js";
import { RecordEvents } from "../common/record-events.js";
import { boundedText } from "../common/record-text.js";
import { bodyText, flattenAttributes, idHex, nanosToMicros, type Flat } from "./any-value.js";
import type { ExportRequest, LogRecord } from "./schema.js";
import { priorityOfSeverity, severityName, severityNumberOf } from "./severity.js";

export const TRANSPORT = "otlp";

export interface OtlpEvents {
  events: NewEvent[];
  /** Each event's size for the write queue's accounting. */
  bytes: number[];
  rejected: number;
  /** The first rejection, said for partial_success.error_message. */
  firstError: string | undefined;
}

function str(x: unknown): string | undefined {
  return typeof x === "string" && x !== "" ? x : undefined;
}

export function otlpEvents(req: ExportRequest, o: { peer: string | null; maxRecordBytes: number; nowUs?: number }): OtlpEvents {
  const out: OtlpEvents = { events: [], bytes: [], rejected: 0, firstError: undefined };
  const nowUs = o.nowUs ?? Date.now() * 1000;
  const make = new RecordEvents(TRANSPORT);
  const reject = (where: string, why: string) => {
    out.rejected++;
    out.firstError ??= `${where}: ${why}`;
  };
  const resources = Array.isArray(req.resourceLogs) ? req.resourceLogs : [];
  for (let ri = 0; ri < resources.length; ri++) {
    const rl = resources[ri];
    if (rl === null || typeof rl !== "object") continue;
    const resource: Flat = {};
    flattenAttributes(rl.resource?.attributes, resource);
    const scopes = Array.isArray(rl.scopeLogs) ? rl.scopeLogs : [];
    for (let si = 0; si < scopes.length; si++) {
      const sl = scopes[si];
      if (sl === null || typeof sl !== "object") continue;
      const base: Flat = { ...resource };
      const scope = sl.scope;
      if (scope && typeof scope === "object") {
        flattenAttributes(scope.attributes, base);
        const name = str(scope.name);
        const version = str(scope.version);
        if (name !== undefined) base["scope.name"] = name;
        if (version !== undefined) base["scope.version"] = version;
      }
      const host = typeof base["host.name"] === "string" ? (base["host.name"] as string) : o.peer;
      const records = Array.isArray(sl.logRecords) ? sl.logRecords : [];
      for (let i = 0; i < records.length; i++) {
        const r = records[i] as LogRecord | null;
        const where = `resource_logs[${ri}].scope_logs[${si}].log_records[${i}]`;
        if (r === null || typeof r !== "object" || Array.isArray(r)) {
          reject(where, "is not a LogRecord object");
          continue;
        }
        const attrs: Flat = { ...base };
        flattenAttributes(r.attributes, attrs);
        const eventName = str(r.eventName);
        const body = bodyText(r.body);
        if (body === "" && eventName === undefined && (r.attributes?.length ?? 0) === 0) {
          reject(where, "has no body, no attributes and no event_name");
          continue;
        }
        const num = severityNumberOf(r.severityNumber);
        const text = str(r.severityText) ?? severityName(num);
        if (text !== "") attrs["severity"] = text;
        if (num > 0) attrs["severity_number"] = num;
        const trace = idHex(r.traceId);
        const span = idHex(r.spanId);
        if (trace !== "") attrs["trace_id"] = trace;
        if (span !== "") attrs["span_id"] = span;
        if (eventName !== undefined) attrs["event.name"] = eventName;
        const ts = nanosToMicros(r.timeUnixNano) || nanosToMicros(r.observedTimeUnixNano) || nowUs;
        const m = boundedText(body !== "" ? body : (eventName ?? ""), o.maxRecordBytes);
        const container = attrs["k8s.container.name"] ?? attrs["container.name"];
        const service = attrs["service.name"];
        const ev = make.event({
          message: m.text, host: typeof attrs["host.name"] === "string" ? (attrs["host.name"] as string) : host, tsUs: ts,
          unit: typeof service === "string" ? service : null, priority: priorityOfSeverity(num, text), truncated: m.truncated,
          container: container === undefined ? undefined : String(container), attributes: attrs,
        });
        out.events.push(ev);
        out.bytes.push(m.text.length + ev.fieldsJson.length);
      }
    }
  }
  return out;
}
