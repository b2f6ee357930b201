// A record's message for the HTTP protocols, bounded like a line of the line protocols: beyond
// maxBytes (UTF-8) it is cut at a character boundary and the event flagged _LOGHARBOR_TRUNCATED.
import { cutAtCharBoundary } from "./frame-buffer.js";

/** Default longest message of one record (as --max-line-bytes for the line protocols). */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

export function boundedText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short texts need no measuring.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, "utf8") <= maxBytes) return { text, truncated: false };
  return { text: cutAtCharBoundary(Buffer.from(text, "utf8").subarray(0, maxBytes)).toString("utf8"), truncated: true };
}
