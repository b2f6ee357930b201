// Events of one request of a structured HTTP protocol (OTLP, Loki, Elasticsearch): like lineEvent,
// with the fields JSON (_TRANSPORT, _HOSTNAME, CONTAINER_NAME) made once per host and container
// rather than once per record: a request's records mostly share them.
import { FIELD_CONTAINER_NAME } from "../../../core/journal/fields.js";
import type { NewEvent } from "../../storage/store.js";
import { lineEvent, NO_IDENT } from "./line-event.js";

export interface RecordInput {
  message: string;
  host: string | null;
  container: string | undefined;
  tsUs: number;
  unit: string | null;
  priority: number | null;
  truncated: boolean;
  attributes: Record<string, string | number>;
}

const MAX_CACHED = 256;

export class RecordEvents {
  private readonly fieldsJson = new Map<string, string>();

  constructor(private readonly transport: string) {}

  event(r: RecordInput): NewEvent {
    if (r.truncated) {
      return lineEvent({
        message: r.message, host: r.host, transport: this.transport, tsUs: r.tsUs, unit: r.unit, priority: r.priority, truncated: true,
        ...(r.container !== undefined ? { fields: { [FIELD_CONTAINER_NAME]: r.container } } : {}), attributes: r.attributes,
      });
    }
    const key = r.container === undefined ? (r.host ?? "\u0000") : `${r.host ?? "\u0000"}\u0000${r.container}`;
    let fj = this.fieldsJson.get(key);
    if (fj === undefined) {
      const f: Record<string, string> = { _TRANSPORT: this.transport };
      if (r.host !== null) f["_HOSTNAME"] = r.host;
      if (r.container !== undefined) f[FIELD_CONTAINER_NAME] = r.container;
      fj = JSON.stringify(f);
      if (this.fieldsJson.size >= MAX_CACHED) this.fieldsJson.clear();
      this.fieldsJson.set(key, fj);
    }
    return { ident: NO_IDENT, tsUs: r.tsUs, host: r.host, unit: r.unit, priority: r.priority, message: r.message, fieldsJson: fj, attributes: r.attributes };
  }
}
