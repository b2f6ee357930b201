// logharbor query 'QUERY' --from -1h [--to now] [--log NAME[,NAME]] [--limit N | --all] [--json | --raw]
// Events print as lines (newest N in time order; --all pages through everything oldest first);
// statistics print as a table or a bar chart. --json: events as NDJSON, statistics as one JSON
// document; --raw: messages only, statistics as tab-separated lines. A partial answer (time budget
// used up) is said on stderr. --saved NAME runs a query saved on the server (by the web page or the
// API) with its time range and logs; --from/--to/--log given on the command line override them.
import type { Command } from "commander";
import { LogharborError } from "../../core/errors.js";
import { clientFrom, withClientOptions } from "../client.js";
import type { EventJson, SavedQueryJson, StatisticsJson } from "../../core/api-json.js";
import { formatEventLine } from "../output/event-line.js";
import { terminalSafe } from "../output/terminal-safe.js";
import { formatStatistics, formatStatisticsRaw } from "../output/statistics.js";

interface Answer {
  type: "events" | "statistics";
  events?: EventJson[];
  next_page?: string;
  statistics?: StatisticsJson;
  partial: boolean;
  reason?: string;
}

interface QueryOpts {
  saved?: string;
  from: string;
  to: string;
  log?: string;
  limit: string;
  all?: boolean;
  json?: boolean;
  raw?: boolean;
  server: string;
  apiKey?: string;
}

function parseLimit(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10000) {
    throw new LogharborError("LH_ERR_USAGE", `--limit: expected an integer from 1 to 10000, got "${v}"`);
  }
  return Number(v);
}

export function registerQuery(program: Command): void {
  withClientOptions(
    program
      .command("query [query]")
      .description("search stored events or compute statistics, e.g. logharbor query 'where(status>=500) groupby(host)' --from -1h")
      .option("--from <time>", "start: -15m, -1h, -7d, an ISO time or epoch ms", "-1h")
      .option("--to <time>", "end (exclusive)", "now")
      .option("--log <names>", "comma-separated log names (default: all logs)")
      .option("--limit <n>", "the newest N matching events", "100")
      .option("--all", "every matching event, oldest first (pages through the results)")
      .option("--json", "events as one JSON object per line (NDJSON), statistics as one JSON document")
      .option("--raw", "messages only; statistics as tab-separated lines")
      .option("--saved <name>", "run a query saved on the server, with its time range and logs (--from/--to/--log override them)"),
  ).action(async (query: string | undefined, opts: QueryOpts, cmd: Command) => {
    if (opts.json && opts.raw) throw new LogharborError("LH_ERR_USAGE", "--json and --raw: choose one");
    const limit = parseLimit(opts.limit);
    const client = clientFrom(opts);
    if (opts.saved !== undefined) {
      if (query !== undefined) throw new LogharborError("LH_ERR_USAGE", "give either a query or --saved NAME, not both");
      const { saved_query: s } = await client.request<{ saved_query: SavedQueryJson }>("GET", `/api/v1/saved-queries/${encodeURIComponent(opts.saved)}`);
      query = s.q;
      // An open end ("" or "all") is the whole time range.
      const open = (t: string) => (t === "" || t === "all" ? "" : t);
      if (cmd.getOptionValueSource("from") === "default") opts.from = open(s.from);
      if (cmd.getOptionValueSource("to") === "default") opts.to = open(s.to);
      if (opts.log === undefined && s.log !== "") opts.log = s.log;
    }
    const colour = process.stdout.isTTY === true && !opts.json && process.env["NO_COLOR"] === undefined;
    const params = new URLSearchParams({ q: query ?? "", from: opts.from, to: opts.to });
    if (opts.log) params.set("log", opts.log);
    const print = (e: EventJson) =>
      process.stdout.write(`${opts.json ? JSON.stringify(e) : opts.raw ? (process.stdout.isTTY === true ? terminalSafe(e.message) : e.message) : formatEventLine(e, colour)}\n`);
    const warn = (a: Answer) => {
      if (a.partial) process.stderr.write(`logharbor: partial answer: ${a.reason ?? "cut short"}\n`);
    };

    if (opts.all) {
      params.set("order", "asc");
      params.set("limit", "1000");
    } else {
      params.set("limit", String(limit));
    }
    let answer = await client.request<Answer>("GET", `/api/v1/query?${params}`);
    if (answer.type === "statistics") {
      const s = answer.statistics!;
      process.stdout.write(opts.json ? `${JSON.stringify(answer)}\n` : opts.raw ? formatStatisticsRaw(s) : formatStatistics(s));
      warn(answer);
      return;
    }
    if (!opts.all) {
      // Newest N, shown in time order like journalctl.
      for (const e of (answer.events ?? []).reverse()) print(e);
      warn(answer);
      return;
    }
    for (;;) {
      for (const e of answer.events ?? []) print(e);
      if (!answer.next_page) break;
      params.set("after", answer.next_page);
      answer = await client.request<Answer>("GET", `/api/v1/query?${params}`);
    }
    warn(answer);
  });
}
