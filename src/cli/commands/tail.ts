// logharbor tail [QUERY] [--log NAME[,NAME]] [--json]: follows stored events live (Server-Sent
// Events from /api/v1/tail), coloured by priority on a terminal. Runs until interrupted (exit 0);
// exits 1 when the server ends the stream or cannot be reached.
import type { Command } from "commander";
import { LogharborError } from "../../core/errors.js";
import { clientFrom, withClientOptions } from "../client.js";
import type { EventJson } from "../../core/api-json.js";
import { formatEventLine } from "../output/event-line.js";
import { readSse } from "../sse.js";

interface TailOpts {
  log?: string;
  json?: boolean;
  server: string;
  apiKey?: string;
}

export function registerTail(program: Command): void {
  withClientOptions(
    program
      .command("tail [query]")
      .description("follow events live as they are stored, e.g. logharbor tail 'where(priority <= err)'")
      .option("--log <names>", "comma-separated log names (default: all logs)")
      .option("--json", "one JSON object per event (NDJSON)"),
  ).action(async (query: string | undefined, opts: TailOpts) => {
    const client = clientFrom(opts);
    const colour = process.stdout.isTTY === true && !opts.json && process.env["NO_COLOR"] === undefined;
    const params = new URLSearchParams({ query: query ?? "" });
    if (opts.log) params.set("log", opts.log);
    const ac = new AbortController();
    process.once("SIGINT", () => ac.abort());
    process.once("SIGTERM", () => ac.abort());
    const res = await client.stream(`/api/v1/tail?${params}`, ac.signal);
    try {
      for await (const item of readSse(res.body!)) {
        if (item.kind === "message" && item.event === "dropped") {
          // The server dropped events while this reader was behind (it never buffers without bound).
          const n = (JSON.parse(item.data) as { dropped?: number }).dropped ?? 0;
          process.stderr.write(`logharbor tail: the server dropped ${n} events while this terminal was behind\n`);
          continue;
        }
        if (item.kind !== "message" || item.event !== "event") continue;
        const e = JSON.parse(item.data) as EventJson;
        process.stdout.write(`${opts.json ? item.data : formatEventLine(e, colour)}\n`);
      }
    } catch (e) {
      if (ac.signal.aborted) return;
      throw new LogharborError("LH_ERR_SERVER", `tail: the connection to ${client.opts.server} broke (${(e as Error).message})`);
    }
    if (ac.signal.aborted) return;
    throw new LogharborError("LH_ERR_SERVER", `tail: the server at ${client.opts.server} ended the stream (stopped or restarted)`);
  });
}
