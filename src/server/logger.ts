// The server's own logs: pino JSON, fields first then a sentence. Secrets never reach them:
// requests are logged by path only (no query string, where ?token= may be), and the headers
// that carry secrets are redacted should anything log them.
import { pino, type Logger } from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  'req.headers["x-api-key"]',
  "headers.authorization",
  'headers["x-api-key"]',
  "token",
  "*.token",
  "secret",
  "*.secret",
];

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const options = { level: opts.level ?? process.env["LOGHARBOR_LOG_LEVEL"] ?? "info", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/**
 * Routes that take the ingest token in the path, however the path is spelled: repeated slashes
 * (//t/TOKEN), any case (/T/TOKEN), percent-encoded slashes (/t%2FTOKEN): the segment after the
 * route's prefix is a token.
 */
const SLASH = String.raw`(?:/|%2f)+`;
const TOKEN_IN_PATH = new RegExp(String.raw`^((?:/|%2f)*)(t|v1${SLASH}logs|noformat${SLASH}logs)(${SLASH})[^/?;#]+`, "i");
/** Anything shaped like a token or an API key anywhere else: UUIDs (dashes maybe encoded), lhk_ secrets. */
const SECRET_SHAPED = /[0-9a-f]{8}(?:(?:-|%2d)[0-9a-f]{4}){3}(?:-|%2d)[0-9a-f]{12}|[0-9a-f]{32}|lhk_[A-Za-z0-9_-]+/gi;

/**
 * The path of a request URL as our logs show it: without its query string or path parameters
 * (where ?token= or ;token= may be), with the token segment of an ingest route replaced by
 * "[token]", and anything else shaped like a token or key replaced by "[redacted]".
 */
export function pathOf(url: string): string {
  const cut = url.search(/[?;#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  return path.replace(TOKEN_IN_PATH, "$1$2$3[token]").replace(SECRET_SHAPED, "[redacted]");
}
