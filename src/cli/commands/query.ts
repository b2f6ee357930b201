// logharbor query 'QUERY' --from -1h [--to now] [--log NAME[,NAME]] [--limit N | --all] [--json]
import type { Command } from "commander";
import { LogharborError } from "../../core/errors.js";
import { clientFrom, withClientOptions } from "../client.js";
import { formatEventLine, type EventJson } from "../output/event-line.js";

interface Page {
  events: EventJson[];
  next_page?: string;
}

interface QueryOpts {
  from: string;
  to: string;
  log?: string;
  limit: string;
  all?: boolean;
  json?: boolean;
  server: string;
  apiKey?: string;
}

function parseLimit(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100000) {
    throw new LogharborError("LH_ERR_USAGE", `--limit: expected an integer from 1 to 100000, got "${v}"`);
  }
  return Number(v);
}

export function registerQuery(program: Command): void {
  withClientOptions(
    program
      .command("query [query]")
      .description("search stored events, e.g. logharbor query 'where(timeout)' --from -1h")
      .option("--from <time>", "start: -15m, -1h, -7d, an ISO time or epoch ms", "-1h")
      .option("--to <time>", "end (exclusive)", "now")
      .option("--log <names>", "comma-separated log names (default: all logs)")
      .option("--limit <n>", "the newest N matching events", "100")
      .option("--all", "every matching event, oldest first (pages through the results)")
      .option("--json", "one JSON object per event (NDJSON)"),
  ).action(async (query: string | undefined, opts: QueryOpts) => {
    const limit = parseLimit(opts.limit);
    const client = clientFrom(opts);
    const colour = process.stdout.isTTY === true && !opts.json && process.env["NO_COLOR"] === undefined;
    const params = new URLSearchParams({ q: query ?? "", from: opts.from, to: opts.to });
    if (opts.log) params.set("log", opts.log);
    const print = (e: EventJson) =>
      process.stdout.write(`${opts.json ? JSON.stringify(e) : formatEventLine(e, colour)}\n`);

    if (!opts.all) {
      params.set("limit", String(limit));
      const page = await client.request<Page>("GET", `/api/v1/events?${params}`);
      // Newest N, shown in time order like journalctl.
      for (const e of page.events.reverse()) print(e);
      return;
    }
    params.set("order", "asc");
    params.set("limit", "1000");
    for (;;) {
      const page = await client.request<Page>("GET", `/api/v1/events?${params}`);
      for (const e of page.events) print(e);
      if (!page.next_page) break;
      params.set("after", page.next_page);
    }
  });
}
