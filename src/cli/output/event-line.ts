// One event as a line of terminal text: time, host, unit, message; coloured by priority on a TTY.

import type { EventJson } from "../../core/api-json.js";
import { terminalSafe } from "./terminal-safe.js";

const COLOURS: Record<number, string> = {
  0: "\x1b[1;31m", // emerg
  1: "\x1b[1;31m", // alert
  2: "\x1b[1;31m", // crit
  3: "\x1b[31m", // err
  4: "\x1b[33m", // warning
  5: "\x1b[1m", // notice
  7: "\x1b[2m", // debug
};
const RESET = "\x1b[0m";

export function formatEventLine(e: EventJson, colour: boolean): string {
  const who = [e.host ?? "-", e.unit ?? (typeof e.fields["SYSLOG_IDENTIFIER"] === "string" ? e.fields["SYSLOG_IDENTIFIER"] : "-")].join(" ");
  // Keep one event on one line: continuation lines are indented.
  const msg = e.message.replace(/\r?\n/g, "\n    ");
  // Escape sequences from a logged line never reach the terminal (journalctl's rule too).
  const text = terminalSafe(`${e.ts} ${who}: ${msg}`);
  const c = colour && e.priority !== null ? COLOURS[e.priority] : undefined;
  return c ? `${c}${text}${RESET}` : text;
}
