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

/** Routes that take the ingest token in the path: /t/{token}/upload, /v1/logs/{token}, /noformat/logs/{token}. */
const TOKEN_IN_PATH = /^(\/t\/|\/v1\/logs\/|\/noformat\/logs\/)[^/]+/;

/**
 * The path of a request URL as our logs show it: without its query string (where ?token= may be),
 * and with an ingest token in the path replaced by "[token]".
 */
export function pathOf(url: string): string {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  return path.replace(TOKEN_IN_PATH, "$1[token]");
}
