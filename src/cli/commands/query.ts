// logharbor query 'QUERY' --from -1h [--to now] [--log NAME[,NAME]] [-n N | --all] [-o short|json|cat] [-f]
// Events print as lines (newest N in time order; --all pages through everything oldest first);
// statistics print as a table or a bar chart. -o json (--json): events as NDJSON, statistics as one
// JSON document; -o cat (--raw): messages only, statistics as tab-separated lines. A partial answer
// (time budget used up), more entries than shown, or a field no entry has are said on stderr.
// journalctl's habits: -n, -u UNIT, -p PRIORITY, --since/--until ("yesterday", "2 hours ago"), -f.
// --saved NAME runs a query saved on the server (by the web page or the API) with its time range and
// logs; --from/--to/--log given on the command line override them.
// --context N ID: the N entries before and after the entry ID on the same host (--by unit|container|log).
import type { Command } from "commander";
import { LogharborError } from "../../core/errors.js";
import { clientFrom, withClientOptions, type Client } from "../client.js";
import type { EventContextJson, EventJson, SavedQueryJson, StatisticsJson } from "../../core/api-json.js";
import { formatStatistics, formatStatisticsRaw } from "../output/statistics.js";
import { colourWanted } from "../output/terminal.js";
import { follow } from "../follow.js";
import { formatEvent, outputOf, withFilterOptions, withFilters, type FilterOpts, type Output } from "../query-options.js";

interface Answer {
  type: "events" | "statistics";
  events?: EventJson[];
  next_page?: string;
  statistics?: StatisticsJson;
  partial: boolean;
  reason?: string;
  notice?: string;
}

interface QueryOpts extends FilterOpts {
  saved?: string;
  from: string;
  to: string;
  since?: string;
  until?: string;
  log?: string;
  limit: string;
  lines?: string;
  all?: boolean;
  follow?: boolean;
  context?: string;
  by?: string;
  server: string;
  apiKey?: string;
}

export const MAX_LIMIT = 10000;

export function parseLimit(v: string, flag = "--limit"): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_LIMIT) {
    throw new LogharborError("LH_ERR_USAGE", `${flag}: expected an integer from 1 to ${MAX_LIMIT}, got "${v}"`);
  }
  return Number(v);
}

async function printContext(client: Client, id: string | undefined, opts: QueryOpts, output: Output, colour: boolean): Promise<void> {
  if (id === undefined || !/^\d{1,16}$/.test(id)) {
    throw new LogharborError("LH_ERR_USAGE", `--context: give the id of an entry (the "id" of \`logharbor query -o json\`, "#id" in the page's details), as in logharbor query --context 20 12345; got ${id === undefined ? "none" : `"${id}"`}`);
  }
  if (!/^\d{1,4}$/.test(opts.context!) || Number(opts.context) > 1000) {
    throw new LogharborError("LH_ERR_USAGE", `--context: expected a number of entries from 0 to 1000, got "${opts.context}"`);
  }
  const params = new URLSearchParams({ n: opts.context!, by: opts.by ?? "host" });
  const c = await client.request<EventContextJson>("GET", `/api/v1/events/${id}/context?${params}`);
  const line = (e: EventJson) => formatEvent(e, output, colour);
  if (output === "json") {
    for (const e of [...c.before, c.event, ...c.after]) process.stdout.write(`${line(e)}\n`);
    return;
  }
  process.stderr.write(`logharbor: ${c.before.length} before and ${c.after.length} after entry ${c.event.id} in log "${c.event.log}", same ${c.by} (${c.value})\n`);
  for (const e of c.before) process.stdout.write(`  ${line(e)}\n`);
  process.stdout.write(`> ${line(c.event)}\n`);
  for (const e of c.after) process.stdout.write(`  ${line(e)}\n`);
}

export function registerQuery(program: Command): void {
  withClientOptions(
    withFilterOptions(
      program
        .command("query [query] [id]")
        .description("search stored events or compute statistics, e.g. logharbor query 'where(status>=500) groupby(host)' --from -1h")
        .option("--from <time>", 'start: -15m, -1h, -7d, today, yesterday, "2 hours ago", an ISO time (UTC unless a zone is given) or epoch ms', "-1h")
        .option("--to <time>", "end (exclusive)", "now")
        .option("--since <time>", "the same as --from (journalctl's name)")
        .option("--until <time>", "the same as --to (journalctl's name)")
        .option("--log <names>", "comma-separated log names (default: all logs)")
        .option("--limit <n>", `the newest N matching events, 1 to ${MAX_LIMIT}`, "100")
        .option("-n, --lines <n>", "the same as --limit (journalctl's name)")
        .option("--all", "every matching event, oldest first (pages through the results)")
        .option("-f, --follow", "after the newest N, follow new events as they are stored (as logharbor tail)")
        .option("--context <n>", "the N entries before and after the entry whose id is given after the query, e.g. --context 20 '' 12345, or --context 20 12345")
        .option("--by <what>", "with --context: entries of the same host (default), unit, container or log")
        .option("--saved <name>", "run a query saved on the server, with its time range and logs (--from/--to/--log override them)"),
    ),
  ).action(async (query: string | undefined, id: string | undefined, opts: QueryOpts, cmd: Command) => {
    const output = outputOf(opts);
    const colour = output === "short" && colourWanted();
    const client = clientFrom(opts);
    if (opts.context !== undefined) {
      // `query --context 20 12345`: the only argument is the id.
      await printContext(client, id ?? query, opts, output, colour);
      return;
    }
    if (id !== undefined) throw new LogharborError("LH_ERR_USAGE", `unexpected argument "${id}": quote the query as one argument, as in logharbor query 'where(a AND b)'`);
    if (opts.since !== undefined) {
      if (cmd.getOptionValueSource("from") !== "default") throw new LogharborError("LH_ERR_USAGE", "--from and --since: choose one");
      opts.from = opts.since;
    }
    if (opts.until !== undefined) {
      if (cmd.getOptionValueSource("to") !== "default") throw new LogharborError("LH_ERR_USAGE", "--to and --until: choose one");
      opts.to = opts.until;
    }
    if (opts.lines !== undefined && cmd.getOptionValueSource("limit") !== "default") throw new LogharborError("LH_ERR_USAGE", "--limit and -n/--lines: choose one");
    const limit = opts.lines !== undefined ? parseLimit(opts.lines, "-n/--lines") : parseLimit(opts.limit);
    if (opts.follow && opts.all) throw new LogharborError("LH_ERR_USAGE", "-f/--follow and --all: choose one");
    if (opts.saved !== undefined) {
      if (query !== undefined) throw new LogharborError("LH_ERR_USAGE", "give either a query or --saved NAME, not both");
      const { saved_query: s } = await client.request<{ saved_query: SavedQueryJson }>("GET", `/api/v1/saved-queries/${encodeURIComponent(opts.saved)}`);
      query = s.q;
      // An open end ("" or "all") is the whole time range.
      const open = (t: string) => (t === "" || t === "all" ? "" : t);
      if (cmd.getOptionValueSource("from") === "default" && opts.since === undefined) opts.from = open(s.from);
      if (cmd.getOptionValueSource("to") === "default" && opts.until === undefined) opts.to = open(s.to);
      if (opts.log === undefined && s.log !== "") opts.log = s.log;
    }
    const q = withFilters(query ?? "", opts);
    const params = new URLSearchParams({ q, from: opts.from, to: opts.to });
    if (opts.log) params.set("log", opts.log);
    const print = (e: EventJson) => process.stdout.write(`${formatEvent(e, output, colour)}\n`);
    const warn = (a: Answer) => {
      if (a.partial) process.stderr.write(`logharbor: partial answer: ${a.reason ?? "cut short"}\n`);
      if (a.notice) process.stderr.write(`logharbor: ${a.notice}\n`);
    };

    if (opts.all) {
      params.set("order", "asc");
      params.set("limit", "1000");
    } else {
      // One more than shown, to say truthfully whether more match.
      params.set("limit", String(Math.min(MAX_LIMIT, limit + 1)));
    }
    let answer = await client.request<Answer>("GET", `/api/v1/query?${params}`);
    if (answer.type === "statistics") {
      if (opts.follow) throw new LogharborError("LH_ERR_USAGE", "-f/--follow follows events; a query with groupby, calculate or timeslice has none to follow");
      const s = answer.statistics!;
      process.stdout.write(output === "json" ? `${JSON.stringify(answer)}\n` : output === "cat" ? formatStatisticsRaw(s) : formatStatistics(s));
      warn(answer);
      return;
    }
    if (!opts.all) {
      // Newest N, shown in time order like journalctl.
      const all = answer.events ?? [];
      const more = all.length > limit || (limit === MAX_LIMIT && answer.next_page !== undefined);
      const events = all.slice(0, limit).reverse();
      for (const e of events) print(e);
      warn(answer);
      if (more && !opts.follow) {
        process.stderr.write(`logharbor: more entries match than the newest ${limit} shown; -n N shows more (at most ${MAX_LIMIT}), --all every one\n`);
      }
      if (opts.follow) {
        const ac = new AbortController();
        process.once("SIGINT", () => ac.abort());
        process.once("SIGTERM", () => ac.abort());
        const tail = new URLSearchParams({ query: q });
        if (opts.log) tail.set("log", opts.log);
        const last = events.reduce((m, e) => Math.max(m, e.id), 0);
        await follow(client, {
          params: tail, signal: ac.signal, ...(last > 0 ? { lastId: last } : {}),
          onEvent: print,
          say: (l) => process.stderr.write(`logharbor: ${l}\n`),
        });
      }
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
