// A GELF payload (a UDP datagram after reassembly, or a TCP frame) → its JSON object. Over UDP it
// may be gzip (1f 8b) or zlib (78 xx) compressed, or plain; decompressed at most maxBytes.
import { gunzipSync, inflateSync } from "node:zlib";

export type GelfDecoded = { ok: true; gelf: Record<string, unknown> } | { ok: false; reason: "too_large" | "compression_invalid" | "malformed"; detail: string };

function isZlib(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x78 && ((b[0] << 8) | b[1]!) % 31 === 0;
}

export function decodeGelf(b: Buffer, maxBytes: number): GelfDecoded {
  let text = b;
  const gzip = b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
  if (gzip || isZlib(b)) {
    try {
      text = (gzip ? gunzipSync : inflateSync)(b, { maxOutputLength: maxBytes });
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return { ok: false, reason: "too_large", detail: `more than ${maxBytes} bytes once decompressed` };
      return { ok: false, reason: "compression_invalid", detail: `${gzip ? "gzip" : "zlib"} data that cannot be decompressed: ${(e as Error).message}` };
    }
  } else if (b.length > maxBytes) {
    return { ok: false, reason: "too_large", detail: `${b.length} bytes (at most ${maxBytes})` };
  }
  let v: unknown;
  try {
    v = JSON.parse(text.toString("utf8"));
  } catch (e) {
    return { ok: false, reason: "malformed", detail: `not JSON: ${(e as Error).message}` };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return { ok: false, reason: "malformed", detail: "a GELF message must be a JSON object" };
  return { ok: true, gelf: v as Record<string, unknown> };
}
