// One whole forward-protocol value → what it says (Fluentd forward protocol v1):
//   Message                 [tag, time, record, option?]
//   Forward                 [tag, [[time, record], ...], option?]
//   PackedForward           [tag, bin (MessagePack [time, record] entries back to back), option?]
//   CompressedPackedForward the same with option.compressed = "gzip" (gzip members back to back)
//   PING                    ["PING", client_hostname, shared_key_salt, digest, username, password_digest]
// time is an integer or float of seconds, or the EventTime extension (type 0: seconds and
// nanoseconds, 32 bits each, big endian). option.chunk asks for {"ack": chunk} once stored.
// Limits: the decompressed entries of one message are at most maxBytes; each entry is framed with
// the same checks as a message (framer.ts) before it is decoded.
import { Decoder, ExtensionCodec } from "@msgpack/msgpack";
import { gunzipSync } from "node:zlib";
import { FrameRefused, MsgpackFramer, type FramerLimits } from "./framer.js";

/** The EventTime extension's value, in microseconds since the epoch. */
export class EventTime {
  constructor(readonly us: number) {}
}

const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: (v: unknown) => {
    if (!(v instanceof EventTime)) return null;
    const b = Buffer.alloc(8);
    b.writeUInt32BE(Math.floor(v.us / 1e6), 0);
    b.writeUInt32BE((v.us % 1e6) * 1000, 4);
    return b;
  },
  decode: (data: Uint8Array) => {
    if (data.length !== 8) throw new FrameRefused("malformed", `an EventTime of ${data.length} bytes (expected 8)`);
    const v = new DataView(data.buffer, data.byteOffset, 8);
    return new EventTime(v.getUint32(0) * 1e6 + Math.floor(v.getUint32(4) / 1000));
  },
});
export const forwardCodec = codec;

const mapKeyConverter = (k: unknown): string | number => (typeof k === "string" || typeof k === "number" ? k : String(k));
const decoder = new Decoder({ extensionCodec: codec, mapKeyConverter });
const rawDecoder = new Decoder({ extensionCodec: codec, mapKeyConverter, rawStrings: true });

export interface ForwardEntry {
  /** Undefined when the entry carries no usable time (arrival time then). */
  tsUs: number | undefined;
  record: unknown;
}

export type ForwardMessage =
  | { kind: "events"; tag: string; entries: ForwardEntry[]; chunk: string | undefined; malformedEntries: number }
  | { kind: "ping"; hostname: string; salt: Uint8Array; digest: string; username: string; passwordDigest: string };

function decodeValue(bytes: Uint8Array): unknown {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    if (e instanceof FrameRefused) throw e;
    throw new FrameRefused("malformed", `MessagePack that cannot be decoded: ${(e as Error).message}`);
  }
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.length).toString("utf8");
  return undefined;
}

function bytesOf(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return Buffer.from(v, "utf8");
  return undefined;
}

/** Seconds (integer or float) or an EventTime → microseconds; undefined when not a time. */
export function timeUs(v: unknown): number | undefined {
  if (v instanceof EventTime) return v.us;
  if (typeof v === "number" && Number.isFinite(v) && v > 0 && v < 1e11) return Math.round(v * 1e6);
  return undefined;
}

function isTime(v: unknown): boolean {
  return v instanceof EventTime || typeof v === "number";
}

function entryOf(v: unknown): ForwardEntry | undefined {
  if (!Array.isArray(v) || v.length < 2 || !isTime(v[0])) return undefined;
  return { tsUs: timeUs(v[0]), record: v[1] };
}

function optionOf(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v) || v instanceof Uint8Array) throw new FrameRefused("malformed", "the option of a forward message is not a map");
  return v as Record<string, unknown>;
}

function unpack(packed: Uint8Array, option: Record<string, unknown>, limits: FramerLimits): { entries: ForwardEntry[]; malformed: number } {
  let bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.length);
  const compressed = text(option["compressed"]);
  if (compressed === "gzip") {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limits.maxBytes });
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new FrameRefused("too_large", `CompressedPackedForward entries of more than ${limits.maxBytes} bytes once decompressed`);
      throw new FrameRefused("malformed", `CompressedPackedForward entries that are not gzip: ${(e as Error).message}`);
    }
  } else if (compressed !== undefined && compressed !== "text") {
    throw new FrameRefused("malformed", `option compressed="${compressed.slice(0, 32)}" (expected "gzip" or "text")`);
  }
  // Checked as a whole (each entry within the limits), then decoded in one pass.
  const framer = new MsgpackFramer(limits);
  framer.push(bytes, () => {});
  if (framer.pending) throw new FrameRefused("malformed", "PackedForward entries that end in the middle of an entry");
  const entries: ForwardEntry[] = [];
  let malformed = 0;
  try {
    for (const v of decoder.decodeMulti(bytes)) {
      const e = entryOf(v);
      if (e) entries.push(e);
      else malformed++;
    }
  } catch (e) {
    if (e instanceof FrameRefused) throw e;
    throw new FrameRefused("malformed", `MessagePack that cannot be decoded: ${(e as Error).message}`);
  }
  return { entries, malformed };
}

/** Reads one whole value (from the framer). Throws FrameRefused. */
export function readForwardMessage(frame: Uint8Array, limits: FramerLimits): ForwardMessage {
  const v = decodeValue(frame);
  if (!Array.isArray(v) || v.length < 2) throw new FrameRefused("malformed", "a forward message must be an array [tag, ...] (Message, Forward or PackedForward mode)");
  const tag = text(v[0]);
  if (tag === undefined) throw new FrameRefused("malformed", "the tag of a forward message must be a string");
  if (tag === "PING" && v.length === 6) {
    return {
      kind: "ping", hostname: text(v[1]) ?? "", salt: bytesOf(v[2]) ?? new Uint8Array(0), digest: text(v[3]) ?? "",
      username: text(v[4]) ?? "", passwordDigest: text(v[5]) ?? "",
    };
  }
  const second = v[1];
  if (Array.isArray(second)) {
    // Forward mode.
    const option = optionOf(v[2]);
    const entries: ForwardEntry[] = [];
    let malformed = 0;
    for (const item of second) {
      const e = entryOf(item);
      if (e) entries.push(e);
      else malformed++;
    }
    return { kind: "events", tag, entries, chunk: text(option["chunk"]), malformedEntries: malformed };
  }
  if (second instanceof Uint8Array || typeof second === "string") {
    // PackedForward: entries as bin (or str, read again as raw bytes).
    const option = optionOf(v[2]);
    const packed = second instanceof Uint8Array ? second : ((rawDecoder.decode(frame) as unknown[])[1] as Uint8Array);
    const { entries, malformed } = unpack(packed, option, limits);
    return { kind: "events", tag, entries, chunk: text(option["chunk"]), malformedEntries: malformed };
  }
  if (isTime(second) && v.length >= 3) {
    const option = optionOf(v[3]);
    return { kind: "events", tag, entries: [{ tsUs: timeUs(second), record: v[2] }], chunk: text(option["chunk"]), malformedEntries: 0 };
  }
  throw new FrameRefused("malformed", "a forward message must be [tag, time, record], [tag, [[time, record], ...]] or [tag, packed entries]");
}
