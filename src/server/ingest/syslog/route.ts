// Which log a syslog message goes to: a token in structured data ([logharbor@NNNNN token="..."] or any
// SD parameter named token, or an SD-ID "TOKEN@NNNNN" as Loggly-style senders use), else a token at
// the start of the message, else the listener's default log. A token that is given but unknown
// is a rejection, never a fallback to the default log. The token is removed from what is stored.
import type { LogInfo } from "../../storage/store.js";
import type { TokenResolver } from "../common/token-resolver.js";
import type { SdElement, SyslogMessage } from "./parse.js";

const UUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const UUID_SP = /^([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})(?:\s|$)/;

export type SyslogRoute =
  | { ok: true; log: LogInfo; sd: SdElement[]; msg: string }
  | { ok: false; reason: "token_missing" | "token_unknown" };

export function routeSyslog(m: SyslogMessage, tokens: TokenResolver, defaultLog: LogInfo | undefined): SyslogRoute {
  let token: string | undefined;
  const sd: SdElement[] = [];
  for (const el of m.sd) {
    const at = el.id.indexOf("@");
    if (token === undefined && at > 0 && UUID.test(el.id.slice(0, at))) {
      token = el.id.slice(0, at);
      if (el.params.length > 0) sd.push({ id: "token" + el.id.slice(at), params: el.params });
      continue;
    }
    const params = el.params.filter(([k, v]) => {
      if (k.toLowerCase() !== "token") return true;
      token ??= v;
      return false;
    });
    if (params.length > 0 || el.params.length === 0) sd.push({ id: el.id, params });
  }
  let msg = m.msg;
  if (token === undefined) {
    const t = UUID_SP.exec(msg);
    if (t) {
      token = t[1]!;
      msg = msg.slice(t[0].length);
    }
  }
  if (token !== undefined) {
    const log = tokens.resolve(token);
    return log ? { ok: true, log, sd, msg } : { ok: false, reason: "token_unknown" };
  }
  return defaultLog ? { ok: true, log: defaultLog, sd, msg } : { ok: false, reason: "token_missing" };
}
