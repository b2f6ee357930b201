// Events of the protocols that carry no identity (token lines, syslog, webhooks): ident "", which
// the store never takes for a duplicate, so identical lines are all kept. The message is the message
// column only: not repeated in the fields (queries on MESSAGE read the column; 20% faster inserts).
import type { NewEvent } from "../../storage/store.js";

export const FIELD_TRUNCATED = "_LOGHARBOR_TRUNCATED";

/** The ident of an event without identity. */
export const NO_IDENT = "";

export interface LineEventInput {
  message: string;
  host: string | null;
  /** _TRANSPORT value, e.g. "token-tcp". */
  transport: string;
  tsUs?: number;
  unit?: string | null;
  priority?: number | null;
  truncated?: boolean;
  /** More fields (journal-style names); _HOSTNAME, _TRANSPORT are set here. */
  fields?: Record<string, unknown>;
  /** The fields are a structured record whose leaves queries read by name (NewEvent.record). */
  queryable?: boolean;
  /** The protocol's structured fields (NewEvent.attributes: queryable by their own names). */
  attributes?: Record<string, string | number>;
}

function fieldsJsonOf(i: LineEventInput): string {
  if (i.fields === undefined && !i.truncated) return plainFieldsJson(i.transport, i.host);
  const fields: Record<string, unknown> = { ...i.fields, _TRANSPORT: i.transport };
  if (i.host !== null) fields["_HOSTNAME"] = i.host;
  if (i.truncated) fields[FIELD_TRUNCATED] = "1";
  return JSON.stringify(fields);
}

/**
 * The fields of a plain line (no extra fields, not truncated): the same for every line of a peer.
 * A connection asks once and passes it to plainLineEvent for each line.
 */
export function plainFieldsJson(transport: string, host: string | null): string {
  return host === null ? JSON.stringify({ _TRANSPORT: transport }) : JSON.stringify({ _TRANSPORT: transport, _HOSTNAME: host });
}

/** The event of a plain line, its fields JSON made once per peer (the per-line fast path). */
export function plainLineEvent(message: string, host: string | null, fieldsJson: string): NewEvent {
  return { ident: NO_IDENT, tsUs: Date.now() * 1000, host, unit: null, priority: null, message, fieldsJson };
}

export function lineEvent(i: LineEventInput): NewEvent {
  const ev: NewEvent = {
    ident: NO_IDENT,
    tsUs: i.tsUs ?? Date.now() * 1000,
    host: i.host,
    unit: i.unit ?? null,
    priority: i.priority ?? null,
    message: i.message,
    fieldsJson: fieldsJsonOf(i),
  };
  if (i.queryable && i.fields !== undefined) ev.record = i.fields;
  if (i.attributes !== undefined) ev.attributes = i.attributes;
  return ev;
}

/** The peer's address as a host name: IPv4-mapped IPv6 shown as IPv4; null when unknown. */
export function peerHost(address: string | undefined): string | null {
  if (!address) return null;
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
