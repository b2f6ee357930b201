// A forward-protocol record → the event we store. The message: the record's `log` (Docker's
// fluentd driver, Fluent Bit's tail input), else `message`, else `msg`, else the whole record as
// JSON. Every other key is a field (common/record-fields.ts: Docker's container_name, container_id
// become CONTAINER_NAME, CONTAINER_ID, CONTAINER_ID_FULL); the tag is FLUENT_TAG; host = the record's
// `host` or `hostname`, else the client's hostname from the handshake, else the peer address;
// `level` / `severity` (a name or 0..7) → priority; the entry's time is the event time.
import type { NewEvent } from "../../storage/store.js";
import { lineEvent, NO_IDENT } from "../common/line-event.js";
import { fieldValue, priorityOf, putField } from "../common/record-fields.js";

export const FIELD_FLUENT_TAG = "FLUENT_TAG";
const MESSAGE_KEYS = ["log", "message", "msg"] as const;

export interface ForwardPeer {
  /** The client's self_hostname (handshake) or the peer address. */
  host: string | null;
}

/** The fields JSON of a record that holds only its message, made once per tag and host (the fast path). */
class PlainFields {
  private tag: string | undefined;
  private host: string | null = null;
  private json = "";

  of(tag: string, host: string | null, transport: string): string {
    if (tag !== this.tag || host !== this.host) {
      this.tag = tag;
      this.host = host;
      const f: Record<string, string> = {};
      if (tag !== "") f[FIELD_FLUENT_TAG] = tag;
      f["_TRANSPORT"] = transport;
      if (host !== null) f["_HOSTNAME"] = host;
      this.json = JSON.stringify(f);
    }
    return this.json;
  }
}
const plain = new PlainFields();

export function forwardEvent(tag: string, record: unknown, tsUs: number | undefined, peer: ForwardPeer, transport: string): NewEvent | undefined {
  if (record === null || typeof record !== "object" || Array.isArray(record) || record instanceof Uint8Array) return undefined;
  const r = record as Record<string, unknown>;
  const keys = Object.keys(r);
  if (keys.length === 1 && (keys[0] === "log" || keys[0] === "message" || keys[0] === "msg") && typeof r[keys[0]] === "string") {
    // Only a message (Docker's driver without extras, most shippers' plain lines): no field to read.
    return {
      ident: NO_IDENT, tsUs: tsUs ?? Date.now() * 1000, host: peer.host, unit: null, priority: null,
      message: r[keys[0]] as string, fieldsJson: plain.of(tag, peer.host, transport),
    };
  }
  let messageKey: string | undefined;
  let message: string | undefined;
  for (const k of MESSAGE_KEYS) {
    const v = r[k];
    if (v === undefined) continue;
    const f = fieldValue(v);
    message = typeof f === "string" ? f : JSON.stringify(f);
    messageKey = k;
    break;
  }
  const fields: Record<string, unknown> = {};
  if (tag !== "") fields[FIELD_FLUENT_TAG] = tag;
  let host: string | null = peer.host;
  let priority: number | undefined;
  for (const k of keys) {
    if (k === messageKey) continue;
    const v = r[k];
    if ((k === "host" || k === "hostname") && typeof v === "string" && v !== "") host = v;
    if ((k === "level" || k === "severity") && priority === undefined) priority = priorityOf(v);
    putField(fields, k, v);
  }
  if (message === undefined) message = JSON.stringify(fieldValue(r));
  return lineEvent({
    message, host, transport, fields, queryable: true,
    ...(tsUs !== undefined ? { tsUs } : {}),
    ...(priority !== undefined ? { priority } : {}),
  });
}
