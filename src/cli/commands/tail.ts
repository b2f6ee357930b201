// logharbor tail [QUERY] [--log NAME[,NAME]] [-n N] [-u UNIT] [-p PRIORITY] [-o short|json|cat]:
// prints the newest N matching entries (default 10, as tail and journalctl -f do), then follows
// stored events live (Server-Sent Events from /api/v1/tail), coloured by priority on a terminal.
// When the server restarts or the network breaks, it reconnects with backoff and first prints what
// was stored meanwhile (src/cli/follow.ts). Runs until interrupted (exit 0); a bad query exits 2.
import type { Command } from "commander";
import type { EventJson } from "../../core/api-json.js";
import { clientFrom, withClientOptions } from "../client.js";
import { follow } from "../follow.js";
import { colourWanted } from "../output/terminal.js";
import { formatEvent, outputOf, withFilterOptions, withFilters, type FilterOpts } from "../query-options.js";
import { parseLimit } from "./query.js";

interface TailOpts extends FilterOpts {
  log?: string;
  lines: string;
  server: string;
  apiKey?: string;
}

export function registerTail(program: Command): void {
  withClientOptions(
    withFilterOptions(
      program
        .command("tail [query]")
        .description("follow events live as they are stored, e.g. logharbor tail 'where(priority <= err)'; reconnects by itself")
        .option("--log <names>", "comma-separated log names (default: all logs)")
        .option("-n, --lines <n>", "first the newest N matching entries of the last day (0: none)", "10"),
    ),
  ).action(async (query: string | undefined, opts: TailOpts) => {
    const output = outputOf(opts);
    const colour = output === "short" && colourWanted();
    const client = clientFrom(opts);
    const q = withFilters(query ?? "", opts);
    const print = (e: EventJson) => process.stdout.write(`${formatEvent(e, output, colour)}\n`);
    const ac = new AbortController();
    process.once("SIGINT", () => ac.abort());
    process.once("SIGTERM", () => ac.abort());
    let last = 0;
    const n = opts.lines === "0" ? 0 : parseLimit(opts.lines, "-n/--lines");
    if (n > 0) {
      const params = new URLSearchParams({ q, from: "-1d", to: "now", limit: String(n) });
      if (opts.log) params.set("log", opts.log);
      const a = await client.request<{ type: string; events?: EventJson[] }>("GET", `/api/v1/query?${params}`);
      for (const e of (a.events ?? []).reverse()) {
        print(e);
        last = Math.max(last, e.id);
      }
    }
    const params = new URLSearchParams({ query: q });
    if (opts.log) params.set("log", opts.log);
    await follow(client, {
      params, signal: ac.signal, ...(last > 0 ? { lastId: last } : {}),
      onEvent: print,
      say: (l) => process.stderr.write(`logharbor tail: ${l}\n`),
    });
  });
}
