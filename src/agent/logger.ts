// Our own logs: pino on stderr, fields first then a sentence. JSON lines (for journald, log shippers,
// scripts) unless stderr is a terminal, where a person reads them: then one readable line each
// (pino-pretty: time, level, message, fields). LOGHARBOR_LOG_FORMAT=json|pretty chooses either way.
// Never a token: the redact list is a safety net; code must not pass tokens to the logger at all.
import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Readable lines on a terminal, JSON otherwise (or as LOGHARBOR_LOG_FORMAT says). */
export function wantsPrettyLogs(env: NodeJS.ProcessEnv = process.env, isTty = process.stderr.isTTY === true): boolean {
  const f = env["LOGHARBOR_LOG_FORMAT"];
  return f === "pretty" ? true : f === "json" ? false : isTty;
}

function destination(): DestinationStream {
  if (!wantsPrettyLogs()) return pino.destination({ dest: 2, sync: true });
  const colour = process.env["NO_COLOR"] === undefined && process.stderr.isTTY === true;
  return pretty({ destination: 2, sync: true, colorize: colour, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,name", singleLine: true });
}

export function createLogger(level: string, name = "logharbor-ship"): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: ["token", "*.token", "password", "*.password", "authorization", "*.authorization", "headers.authorization"], censor: "***" },
    },
    destination(),
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
