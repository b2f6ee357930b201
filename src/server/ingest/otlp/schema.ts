// The OTLP logs messages (vendored .proto files in ./proto), decoded and encoded with protobufjs.
import type protobuf from "protobufjs";
import { loadProtoFiles } from "../common/proto-files.js";

const DIR = "src/server/ingest/otlp/proto";
const root = loadProtoFiles([`${DIR}/logs_service.proto`, `${DIR}/status.proto`]);

export const ExportLogsServiceRequest: protobuf.Type = root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest");
export const ExportLogsServiceResponse: protobuf.Type = root.lookupType("opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse");
export const RpcStatus: protobuf.Type = root.lookupType("google.rpc.Status");

/** A 64-bit integer as protobufjs gives it (Long) or OTLP/JSON does (a decimal string or a number). */
export type Int64 = { low: number; high: number; unsigned?: boolean } | string | number;

/** An AnyValue: exactly one key set (protobuf: an own property; JSON: a present key). */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number | string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  /** protobuf: bytes; JSON: base64. */
  bytesValue?: Uint8Array | string;
}

export interface KeyValue {
  key?: string;
  value?: AnyValue | null;
}

export interface LogRecord {
  timeUnixNano?: Int64;
  observedTimeUnixNano?: Int64;
  severityNumber?: number | string;
  severityText?: string;
  body?: AnyValue | null;
  attributes?: KeyValue[];
  flags?: number;
  /** protobuf: bytes; JSON: hex. */
  traceId?: Uint8Array | string;
  spanId?: Uint8Array | string;
  eventName?: string;
}

export interface ScopeLogs {
  scope?: { name?: string; version?: string; attributes?: KeyValue[] } | null;
  logRecords?: LogRecord[];
}

export interface ResourceLogs {
  resource?: { attributes?: KeyValue[] } | null;
  scopeLogs?: ScopeLogs[];
}

export interface ExportRequest {
  resourceLogs?: ResourceLogs[];
}
