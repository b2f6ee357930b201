// The body of POST /loki/api/v1/push as streams of entries:
//   - protobuf (Content-Type application/x-protobuf, or none): a snappy-compressed (raw block
//     format) logproto.PushRequest (vendored ./proto/push.proto), its labels as label-set text;
//   - JSON (application/json): {"streams":[{"stream":{"job":"web"},"values":[["<unix ns>","line",{"meta":"v"}?]]}]}.
// Snappy's declared length is checked against the limit before anything is decompressed.
import type protobuf from "protobufjs";
import { uncompress } from "snappyjs";
import { LogharborError } from "../../../core/errors.js";
import { tooLarge } from "../common/http-body.js";
import { loadProtoFiles } from "../common/proto-files.js";
import { parseLabels } from "./labels.js";

const PushRequest: protobuf.Type = loadProtoFiles(["src/server/ingest/loki/proto/push.proto"]).lookupType("logproto.PushRequest");

export interface LokiEntry {
  tsUs: number;
  line: string;
  metadata: Record<string, string> | undefined;
}

export interface LokiStream {
  labels: Record<string, string>;
  entries: LokiEntry[];
}

type Long = { low: number; high: number };
interface ProtoPush {
  streams?: Array<{ labels?: string; entries?: Array<{ timestamp?: { seconds?: Long | number; nanos?: number } | null; line?: string; structuredMetadata?: Array<{ name?: string; value?: string }> }> }>;
}

function malformed(what: string): LogharborError {
  return new LogharborError("LH_ERR_BATCH", `loki: ${what}; nothing was stored`);
}

function secondsOf(x: Long | number | undefined): number {
  if (x === undefined) return 0;
  return typeof x === "number" ? x : x.high * 4294967296 + (x.low >>> 0);
}

export function decodeLokiProtobuf(body: Buffer, maxBytes: number): LokiStream[] {
  let raw: Buffer;
  try {
    raw = uncompress(body, maxBytes);
  } catch (e) {
    const m = (e as Error).message;
    if (/too big/.test(m)) throw tooLarge("loki", maxBytes);
    throw malformed(`the body is not valid snappy data (${m}); a protobuf push body is a snappy-compressed (block format) PushRequest`);
  }
  let req: ProtoPush;
  try {
    req = PushRequest.decode(raw) as unknown as ProtoPush;
  } catch (e) {
    throw malformed(`the body is not a valid protobuf PushRequest (${(e as Error).message})`);
  }
  const out: LokiStream[] = [];
  for (const s of req.streams ?? []) {
    const entries: LokiEntry[] = [];
    for (const e of s.entries ?? []) {
      const ts = e.timestamp;
      const us = ts ? secondsOf(ts.seconds) * 1_000_000 + Math.floor((ts.nanos ?? 0) / 1000) : 0;
      let metadata: Record<string, string> | undefined;
      for (const kv of e.structuredMetadata ?? []) {
        if (typeof kv.name === "string" && kv.name !== "" && kv.name !== "__proto__") (metadata ??= {})[kv.name] = kv.value ?? "";
      }
      entries.push({ tsUs: us, line: e.line ?? "", metadata });
    }
    out.push({ labels: parseLabels(s.labels ?? "{}"), entries });
  }
  return out;
}

function nanosText(x: unknown, where: string): number {
  const s = typeof x === "number" && Number.isInteger(x) ? String(x) : x;
  if (typeof s !== "string" || !/^\d{1,19}$/.test(s)) throw malformed(`${where}: the timestamp must be Unix nanoseconds as a string, got ${JSON.stringify(x)}`);
  return s.length > 3 ? Number(s.slice(0, -3)) : 0;
}

function stringMap(x: unknown, where: string): Record<string, string> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw malformed(`${where} must be an object of label names to string values`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
    if (typeof v !== "string") throw malformed(`${where}.${k} must be a string, got ${JSON.stringify(v)}`);
    if (k !== "" && k !== "__proto__") out[k] = v;
  }
  return out;
}

export function decodeLokiJson(body: Buffer): LokiStream[] {
  let v: unknown;
  try {
    v = JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw malformed(`the body is not valid JSON (${(e as Error).message}); expected {"streams":[{"stream":{...},"values":[["<unix ns>","line"]]}]}`);
  }
  const streams = (v as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams)) throw malformed(`expected {"streams":[...]}, got ${JSON.stringify(body.toString("utf8").slice(0, 80))}`);
  return streams.map((s: unknown, si): LokiStream => {
    const where = `streams[${si}]`;
    const st = s as { stream?: unknown; values?: unknown } | null;
    if (st === null || typeof st !== "object") throw malformed(`${where} must be an object`);
    const labels = st.stream === undefined ? {} : stringMap(st.stream, `${where}.stream`);
    if (!Array.isArray(st.values)) throw malformed(`${where}.values must be an array of ["<unix ns>", "line"] pairs`);
    const entries = st.values.map((x: unknown, i): LokiEntry => {
      const w = `${where}.values[${i}]`;
      if (!Array.isArray(x) || x.length < 2 || typeof x[1] !== "string") throw malformed(`${w} must be ["<unix ns>", "line"] or ["<unix ns>", "line", {structured metadata}]`);
      return { tsUs: nanosText(x[0], w), line: x[1], metadata: x.length > 2 && x[2] !== null ? stringMap(x[2], `${w}[2]`) : undefined };
    });
    return { labels, entries };
  });
}
