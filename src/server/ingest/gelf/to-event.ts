// A routed GELF message → the event we store: `host` → host; the message is `full_message` when
// there is one (then `short_message` is kept as a field), else `short_message`; `level` (syslog
// severity 0..7) → priority; `timestamp` (seconds since the epoch, fractions allowed) → the event
// time (else arrival); the deprecated `facility`, `file`, `line` → fields of those names; each
// `_additional` field → a field without its underscore (Docker's gelf driver's _container_name,
// _container_id, _image_name... become CONTAINER_NAME, CONTAINER_ID, IMAGE_NAME as its journald
// driver writes them); `_token` is never stored, `_tag` is stored without a token prefix.
import type { NewEvent } from "../../storage/store.js";
import { lineEvent } from "../common/line-event.js";
import { fieldValue, priorityOf, putField } from "../common/record-fields.js";

export type GelfEvent = { ok: true; event: NewEvent } | { ok: false; reason: "malformed"; detail: string };

const KEPT = ["facility", "file", "line"] as const;

export function gelfEvent(g: Record<string, unknown>, tag: string | undefined, peer: string | null, transport: string): GelfEvent {
  const short = g["short_message"];
  const full = g["full_message"];
  if (typeof short !== "string" && typeof full !== "string") {
    return { ok: false, reason: "malformed", detail: "a GELF message needs short_message (a string)" };
  }
  const fields: Record<string, unknown> = {};
  let message: string;
  if (typeof full === "string" && full !== "") {
    message = full;
    if (typeof short === "string") fields["short_message"] = short;
  } else {
    message = typeof short === "string" ? short : String(full);
  }
  if (typeof g["version"] === "string") fields["GELF_VERSION"] = g["version"];
  for (const k of KEPT) if (g[k] !== undefined) fields[k] = fieldValue(g[k]);
  for (const k of Object.keys(g)) {
    if (k.length < 2 || k.charCodeAt(0) !== 95 /* _ */ || k === "_token" || k === "_id") continue;
    if (k === "_tag") {
      if (tag !== undefined && tag !== "") fields["tag"] = tag;
      continue;
    }
    putField(fields, k.slice(1), g[k]);
  }
  const host = typeof g["host"] === "string" && g["host"] !== "" ? g["host"] : peer;
  const priority = priorityOf(g["level"]);
  const ts = g["timestamp"];
  const tsUs = typeof ts === "number" && Number.isFinite(ts) && ts > 0 && ts < 1e11 ? Math.round(ts * 1e6) : typeof ts === "string" && /^\d{1,11}(\.\d+)?$/.test(ts) ? Math.round(Number(ts) * 1e6) : undefined;
  return {
    ok: true,
    event: lineEvent({
      message, host, transport, fields, queryable: true,
      ...(tsUs !== undefined ? { tsUs } : {}),
      ...(priority !== undefined ? { priority } : {}),
    }),
  };
}
