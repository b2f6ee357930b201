// The flags `logharbor query` and `logharbor tail` share, with journalctl's and kubectl's habits:
// -u UNIT, -p PRIORITY (a name or number, or a range FROM..TO as journalctl takes it), --host,
// --container (conditions added to the query's where()), -o short|json|cat (--json / --raw kept).
import { terminalSafe } from "./output/terminal-safe.js";
import type { Command } from "commander";
import type { EventJson } from "../core/api-json.js";
import { LogharborError } from "../core/errors.js";
import { addCondition } from "../core/query-edit.js";
import { PRIORITY_NAMES } from "../server/query/plan.js";
import { formatEventLine } from "./output/event-line.js";

export const OUTPUTS = ["short", "json", "cat"] as const;
export type Output = (typeof OUTPUTS)[number];

export interface FilterOpts {
  unit?: string;
  priority?: string;
  host?: string;
  container?: string;
  output?: string;
  json?: boolean;
  raw?: boolean;
}

export function withFilterOptions(cmd: Command): Command {
  return cmd
    .option("-u, --unit <unit>", "only this systemd unit (unit = UNIT)")
    .option("-p, --priority <priority>", "this priority and more severe (emerg alert crit err warning notice info debug, or 0-7), or a range such as err..warning")
    .option("--host <host>", "only this host (host = HOST)")
    .option("--container <name>", "only this container (container = NAME, the journal's CONTAINER_NAME)")
    .option("-o, --output <format>", `output: ${OUTPUTS.join(", ")} (json: one JSON object per line; cat: messages only)`)
    .option("--json", "the same as -o json")
    .option("--raw", "the same as -o cat");
}

function priorityNumber(p: string): number {
  const t = p.trim().toLowerCase();
  if (/^[0-7]$/.test(t)) return Number(t);
  const n = PRIORITY_NAMES[t];
  if (n === undefined) {
    throw new LogharborError("LH_ERR_USAGE", `-p/--priority: expected a priority name (emerg, alert, crit, err, warning, notice, info, debug), a number 0-7 or a range such as err..warning, got "${p}"`);
  }
  return n;
}

/** The query with the flags' conditions added to its where(). */
export function withFilters(query: string, o: FilterOpts): string {
  let q = query;
  if (o.unit !== undefined) q = addCondition(q, "unit", o.unit);
  if (o.host !== undefined) q = addCondition(q, "host", o.host);
  if (o.container !== undefined) q = addCondition(q, "container", o.container);
  if (o.priority !== undefined) {
    const [a, b] = o.priority.split("..");
    if (b === undefined) q = addCondition(q, "priority", priorityNumber(a!), "<=");
    else {
      // journalctl's FROM..TO: FROM is the least severe end or the most, either way round.
      const lo = Math.min(priorityNumber(a!), priorityNumber(b));
      const hi = Math.max(priorityNumber(a!), priorityNumber(b));
      q = addCondition(addCondition(q, "priority", lo, ">="), "priority", hi, "<=");
    }
  }
  return q;
}

/** -o, or --json / --raw; short by default. */
export function outputOf(o: FilterOpts): Output {
  const given = [o.output !== undefined, o.json === true, o.raw === true].filter(Boolean).length;
  if (given > 1) throw new LogharborError("LH_ERR_USAGE", "-o/--output, --json and --raw: choose one");
  if (o.json) return "json";
  if (o.raw) return "cat";
  if (o.output === undefined) return "short";
  if (!(OUTPUTS as readonly string[]).includes(o.output)) {
    throw new LogharborError("LH_ERR_USAGE", `-o/--output: expected ${OUTPUTS.join(", ")}, got "${o.output}"`);
  }
  return o.output as Output;
}

/** One event as the output format prints it (a line without its newline). */
export function formatEvent(e: EventJson, output: Output, colour: boolean): string {
  // A message's own escape sequences never reach a terminal (as journalctl does): cat output on a TTY is escaped.
  return output === "json" ? JSON.stringify(e) : output === "cat" ? (process.stdout.isTTY === true ? terminalSafe(e.message) : e.message) : formatEventLine(e, colour);
}
