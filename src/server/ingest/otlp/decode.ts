// The body of POST /v1/logs as an ExportLogsServiceRequest: protobuf (application/x-protobuf) or
// OTLP/JSON (application/json), after Content-Encoding (gzip) is undone by the route.
import { LogharborError } from "../../../core/errors.js";
import { ExportLogsServiceRequest, type ExportRequest } from "./schema.js";

export type OtlpEncoding = "protobuf" | "json";

/** The encoding of a media type, or undefined when OTLP/HTTP has none of that type. */
export function otlpEncodingOf(mediaType: string): OtlpEncoding | undefined {
  if (mediaType === "application/x-protobuf" || mediaType === "application/protobuf") return "protobuf";
  if (mediaType === "application/json") return "json";
  return undefined;
}

export function decodeOtlpRequest(body: Buffer, encoding: OtlpEncoding): ExportRequest {
  if (encoding === "protobuf") {
    try {
      return ExportLogsServiceRequest.decode(body) as unknown as ExportRequest;
    } catch (e) {
      throw new LogharborError("LH_ERR_BATCH", `otlp: the body is not a valid protobuf ExportLogsServiceRequest (${(e as Error).message}); nothing was stored`);
    }
  }
  let v: unknown;
  try {
    v = JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new LogharborError("LH_ERR_BATCH", `otlp: the body is not valid JSON (${(e as Error).message}); expected an OTLP/JSON ExportLogsServiceRequest {"resourceLogs":[...]}; nothing was stored`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new LogharborError("LH_ERR_BATCH", `otlp: expected an OTLP/JSON ExportLogsServiceRequest object {"resourceLogs":[...]}, got ${Array.isArray(v) ? "an array" : typeof v === "object" ? "null" : typeof v}; nothing was stored`);
  }
  const rl = (v as { resourceLogs?: unknown }).resourceLogs;
  if (rl !== undefined && !Array.isArray(rl)) {
    throw new LogharborError("LH_ERR_BATCH", `otlp: "resourceLogs" must be an array, got ${rl === null ? "null" : typeof rl}; nothing was stored`);
  }
  return v as ExportRequest;
}
