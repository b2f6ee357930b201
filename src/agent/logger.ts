// Our own logs: pino, JSON on stderr, fields first then a sentence. Never a token: the redact list
// is a safety net; code must not pass tokens to the logger in the first place.
import { pino, type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function createLogger(level: string, name = "logharbor-ship"): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: ["token", "*.token", "password", "*.password", "authorization", "*.authorization", "headers.authorization"], censor: "***" },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
