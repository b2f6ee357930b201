// A log's ingest token at the start of a tag, as the forward protocol and GELF senders (Docker's
// `--log-opt tag=TOKEN.{{.Name}}`) can carry it: the tag's first dot-separated part, when it reads
// as a UUID. The rest of the tag ("" when the tag is the token alone) is what is stored.
import { UUID_RE } from "./token-resolver.js";

export type TagToken = { token: string; rest: string } | undefined;

export function tokenOfTag(tag: string): TagToken {
  if (tag.length < 36) return undefined;
  const dot = tag.indexOf(".");
  const first = dot < 0 ? tag : tag.slice(0, dot);
  if (first.length !== 36 || !UUID_RE.test(first)) return undefined;
  return { token: first, rest: dot < 0 ? "" : tag.slice(dot + 1) };
}
