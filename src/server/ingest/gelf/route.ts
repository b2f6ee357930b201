// Which log a GELF message goes to: its `_token` additional field (a log's ingest token; never
// stored), else an `_tag` whose first dot-separated part is a token (Docker's gelf driver with
// `--log-opt tag=TOKEN.{{.Name}}`; that part is not stored), else the listener's default log
// (serve --gelf-default-log). A token that is given but unknown is a rejection, never a fallback.
import type { LogInfo } from "../../storage/store.js";
import { tokenOfTag } from "../common/tag-token.js";
import type { TokenResolver } from "../common/token-resolver.js";

export type GelfRoute = { ok: true; log: LogInfo; tag: string | undefined } | { ok: false; reason: "token_missing" | "token_unknown" };

export function routeGelf(g: Record<string, unknown>, tokens: TokenResolver, defaultLog: LogInfo | undefined): GelfRoute {
  const tag = typeof g["_tag"] === "string" ? g["_tag"] : undefined;
  const token = g["_token"];
  if (typeof token === "string") {
    const log = tokens.resolve(token);
    return log ? { ok: true, log, tag } : { ok: false, reason: "token_unknown" };
  }
  const t = tag !== undefined ? tokenOfTag(tag) : undefined;
  if (t !== undefined) {
    const log = tokens.resolve(t.token);
    return log ? { ok: true, log, tag: t.rest } : { ok: false, reason: "token_unknown" };
  }
  return defaultLog ? { ok: true, log: defaultLog, tag } : { ok: false, reason: "token_missing" };
}
