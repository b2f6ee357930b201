// The Logentries token line: "TOKEN message". Strict (default): the token is the line's first 36
// characters, followed by a space or the end. token_anywhere (the older Logentries rule): the first
// whitespace-separated UUID anywhere in the line that is a known token; it is cut from the message.
// Official clients send each newline of a message as U+2028; we turn those back into newlines.

const UUID_AT_START = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}(?=\s|$)/;
const UUID_ANYWHERE = /(?<=^|\s)[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}(?=\s|$)/g;

export type TokenLine =
  | { ok: true; token: string; message: string }
  | { ok: false; reason: "token_missing" | "token_unknown" | "empty" };

function restore(s: string): string {
  return s.includes("\u2028") ? s.replaceAll("\u2028", "\n") : s;
}

/**
 * Splits a decoded line into its token and message. `isKnown` says whether a UUID is some log's
 * token; it decides which UUID is the token when `anywhere` is set.
 */
export function parseTokenLine(line: string, anywhere: boolean, isKnown: (token: string) => boolean): TokenLine {
  if (line.trim() === "") return { ok: false, reason: "empty" };
  const m = UUID_AT_START.exec(line);
  if (m && (!anywhere || isKnown(m[0]))) {
    return { ok: true, token: m[0], message: restore(line.slice(37)) };
  }
  if (!anywhere) return { ok: false, reason: m ? "token_unknown" : "token_missing" };
  let sawUuid = m !== null;
  for (const u of line.matchAll(UUID_ANYWHERE)) {
    sawUuid = true;
    if (!isKnown(u[0])) continue;
    const at = u.index;
    const before = line.slice(0, at);
    const after = line.slice(at + u[0].length);
    const trimmed = before.replace(/\s$/, "");
    const message = trimmed.length < before.length ? trimmed + after : after.replace(/^\s/, "");
    return { ok: true, token: u[0], message: restore(message) };
  }
  return { ok: false, reason: sawUuid ? "token_unknown" : "token_missing" };
}
