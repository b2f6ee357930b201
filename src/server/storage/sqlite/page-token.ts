// The opaque `after` position of keyset pagination: the (ts, id) of the last event of a page.
import { LogharborError } from "../../../core/errors.js";

export interface PagePosition {
  tsUs: number;
  id: number;
}

export function encodePageToken(p: PagePosition): string {
  return Buffer.from(`${p.tsUs}.${p.id}`, "latin1").toString("base64url");
}

export function decodePageToken(token: string): PagePosition {
  const m = /^(-?\d{1,17})\.(\d{1,17})$/.exec(Buffer.from(token, "base64url").toString("latin1"));
  if (!m) {
    throw new LogharborError("LH_ERR_QUERY_PARAM", `after: expected the next_page value of a previous answer, got "${token.slice(0, 80)}"`);
  }
  return { tsUs: Number(m[1]), id: Number(m[2]) };
}
