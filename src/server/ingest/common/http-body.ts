// The body of an HTTP ingest request, decompressed by its Content-Encoding (gzip, deflate, or
// none), bounded: the compressed body by the route's bodyLimit, the decompressed one by maxBytes
// (zlib stops there: a gzip bomb costs at most maxBytes). Decompression runs on zlib's thread pool,
// never blocking the event loop.
import { promisify } from "node:util";
import { gunzip, inflate, type ZlibOptions } from "node:zlib";
import { LogharborError } from "../../../core/errors.js";

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<Buffer, ZlibOptions, Buffer>(inflate);

export function tooLarge(protocol: string, maxBytes: number): LogharborError {
  return new LogharborError(
    "LH_ERR_BATCH_TOO_LARGE",
    `${protocol}: the request body is larger than the limit of ${maxBytes} bytes (decompressed); send smaller batches`,
    { status: 413 },
  );
}

export async function decodedBody(protocol: string, body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const enc = (contentEncoding ?? "").trim().toLowerCase();
  if (enc === "" || enc === "identity") {
    if (body.length > maxBytes) throw tooLarge(protocol, maxBytes);
    return body;
  }
  const run = enc === "gzip" || enc === "x-gzip" ? gunzipAsync : enc === "deflate" ? inflateAsync : undefined;
  if (run === undefined) {
    throw new LogharborError("LH_ERR_BATCH", `${protocol}: Content-Encoding: expected gzip, deflate or identity, got "${contentEncoding}"`, { status: 415 });
  }
  try {
    return await run(body, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(protocol, maxBytes);
    throw new LogharborError("LH_ERR_BATCH", `${protocol}: the body is not valid ${enc} data (${(e as Error).message}); nothing was stored`);
  }
}
