// Syslog on the wire, for senders: RFC 5424 messages (structured data escaped per §6.3.3), RFC 3164
// ("BSD") messages, RFC 6587 octet-counting frames, and datagrams cut to a size without breaking a
// UTF-8 sequence or the structured data. The server's parser (src/server/ingest/syslog/) reads
// everything written here.

export interface SdElement {
  id: string;
  params: Array<[name: string, value: string]>;
}

export interface SyslogMessage {
  /** 0-23 */
  facility: number;
  /** 0-7 */
  severity: number;
  /** Microseconds since the epoch; undefined = NILVALUE (RFC 5424) or now (RFC 3164). */
  timestampUs: number | undefined;
  hostname: string | undefined;
  appName: string | undefined;
  procId: string | undefined;
  msgId: string | undefined;
  sd: SdElement[];
  /** The message bytes, sent as they are (UTF-8 without a BOM, as util-linux logger sends it). */
  msg: Buffer;
}

export type SyslogFormat = "rfc5424" | "rfc3164";
export const SYSLOG_FORMATS: readonly SyslogFormat[] = ["rfc5424", "rfc3164"];

/** PRI = facility * 8 + severity, both clamped to their ranges. */
export function priority(facility: number, severity: number): number {
  const f = Number.isInteger(facility) && facility >= 0 && facility <= 23 ? facility : 1;
  const s = Number.isInteger(severity) && severity >= 0 && severity <= 7 ? severity : 6;
  return f * 8 + s;
}

/** A header field: printable US-ASCII only (others become "_"), at most `max` characters, "-" when empty. */
export function headerField(v: string | undefined, max: number): string {
  if (v === undefined || v === "") return "-";
  const clean = v.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
  return clean === "" ? "-" : clean;
}

/** SD-NAME (an SD-ID or PARAM-NAME): 1 to 32 printable US-ASCII characters except = SP ] ". */
export function isSdName(name: string): boolean {
  return /^[\x21-\x7e]{1,32}$/.test(name) && !/[= \]"]/.test(name);
}

/** A PARAM-VALUE with ", \ and ] escaped by a backslash (RFC 5424 §6.3.3). */
export function escapeSdValue(v: string): string {
  return v.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** STRUCTURED-DATA: the elements with valid names ("-" when there are none). */
export function encodeStructuredData(sd: readonly SdElement[]): string {
  let out = "";
  for (const el of sd) {
    if (!isSdName(el.id)) continue;
    out += `[${el.id}`;
    for (const [k, v] of el.params) if (isSdName(k)) out += ` ${k}="${escapeSdValue(v)}"`;
    out += "]";
  }
  return out === "" ? "-" : out;
}

/** RFC 5424 TIMESTAMP in UTC with microseconds: 2023-11-14T22:13:20.123456Z. */
export function rfc5424Timestamp(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return "-";
  const ms = Math.floor(us / 1000);
  const frac = String(Math.floor(us) % 1_000_000).padStart(6, "0");
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 3164 TIMESTAMP, "Mmm dd hh:mm:ss" in the local time zone (the day space-padded). */
export function rfc3164Timestamp(us: number | undefined): string {
  const d = new Date(us === undefined ? Date.now() : Math.floor(us / 1000));
  const p = (n: number) => String(n).padStart(2, "0");
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function rfc5424Head(m: SyslogMessage): string {
  return (
    `<${priority(m.facility, m.severity)}>1 ${rfc5424Timestamp(m.timestampUs)} ${headerField(m.hostname, 255)} ` +
    `${headerField(m.appName, 48)} ${headerField(m.procId, 128)} ${headerField(m.msgId, 32)} `
  );
}

function rfc3164Head(m: SyslogMessage): string {
  const tag = headerField(m.appName, 32).replace(/[[\]:]/g, "_");
  const pid = m.procId !== undefined && m.procId !== "" ? `[${headerField(m.procId, 32)}]` : "";
  return `<${priority(m.facility, m.severity)}>${rfc3164Timestamp(m.timestampUs)} ${headerField(m.hostname, 255)} ${tag}${pid}: `;
}

/** `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG` (the space and MSG only when MSG is not empty). */
export function encodeRfc5424(m: SyslogMessage): Buffer {
  const head = Buffer.from(rfc5424Head(m) + encodeStructuredData(m.sd), "utf8");
  return m.msg.length === 0 ? head : Buffer.concat([head, SPACE, m.msg]);
}

/** `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`; RFC 3164 has no structured data. */
export function encodeRfc3164(m: SyslogMessage): Buffer {
  return Buffer.concat([Buffer.from(rfc3164Head(m), "utf8"), m.msg]);
}

export function encodeSyslog(m: SyslogMessage, format: SyslogFormat): Buffer {
  return format === "rfc3164" ? encodeRfc3164(m) : encodeRfc5424(m);
}

const SPACE = Buffer.from(" ");

/** RFC 6587 octet counting: `LEN SP MSG`, LEN the byte length of MSG. */
export function octetCountingFrame(msg: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${msg.length} `, "latin1"), msg]);
}

/** The longest prefix of b of at most max bytes that does not end inside a UTF-8 sequence. */
export function truncateUtf8(b: Buffer, max: number): Buffer {
  if (b.length <= max) return b;
  let end = Math.max(0, max);
  // Step back over continuation bytes (10xxxxxx) so the cut falls before a sequence's first byte.
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/**
 * One message as a datagram of at most maxBytes. When it does not fit, the message text is cut
 * (at a UTF-8 boundary); when the header and structured data alone do not fit, the structured data
 * is dropped first, so what is sent is always a well-formed message. Returns whether it was cut.
 */
export function encodeDatagram(m: SyslogMessage, format: SyslogFormat, maxBytes: number): { bytes: Buffer; truncated: boolean } {
  const whole = encodeSyslog(m, format);
  if (whole.length <= maxBytes) return { bytes: whole, truncated: false };
  let head: Buffer;
  if (format === "rfc3164") {
    head = Buffer.from(rfc3164Head(m), "utf8");
  } else {
    const withSd = Buffer.from(rfc5424Head(m) + encodeStructuredData(m.sd) + " ", "utf8");
    head = withSd.length < maxBytes ? withSd : Buffer.from(rfc5424Head(m) + "- ", "utf8");
  }
  if (head.length >= maxBytes) return { bytes: truncateUtf8(head, maxBytes), truncated: true };
  return { bytes: Buffer.concat([head, truncateUtf8(m.msg, maxBytes - head.length)]), truncated: true };
}
