// Which log a forward message goes to. With the shared-key handshake (serve --forward-auth): the log
// whose ingest token is the client's shared key, for the whole connection. Without it: a tag whose
// first dot-separated part is a log's ingest token (`TOKEN.app.web`; that part is not stored), else
// the listener's default log (serve --forward-default-log). A token in the tag that is not known is
// a rejection, never a fallback to the default log.
import type { LogInfo } from "../../storage/store.js";
import { tokenOfTag } from "../common/tag-token.js";
import type { TokenResolver } from "../common/token-resolver.js";

export type ForwardRoute = { ok: true; log: LogInfo; tag: string } | { ok: false; reason: "token_missing" | "token_unknown" };

export function routeForward(tag: string, sharedKey: string | undefined, tokens: TokenResolver, defaultLog: LogInfo | undefined): ForwardRoute {
  if (sharedKey !== undefined) {
    const log = tokens.resolve(sharedKey);
    return log ? { ok: true, log, tag } : { ok: false, reason: "token_unknown" };
  }
  const t = tokenOfTag(tag);
  if (t !== undefined) {
    const log = tokens.resolve(t.token);
    return log ? { ok: true, log, tag: t.rest } : { ok: false, reason: "token_unknown" };
  }
  return defaultLog ? { ok: true, log: defaultLog, tag } : { ok: false, reason: "token_missing" };
}
