// logharbor logs create NAME [--quiet] | logharbor logs list [--json]
// logharbor logs rotate NAME [--grace 15m] [--quiet] | logharbor logs revoke NAME [--previous]
// logharbor logs retention NAME 30d|forever|default
import type { Command } from "commander";
import type { LogJson } from "../../core/api-json.js";
import { LogharborError } from "../../core/errors.js";
import { durationSeconds } from "../../core/time.js";
import { clientFrom, withClientOptions } from "../client.js";
import { printTable } from "../output/table.js";

const MAX_GRACE_SECONDS = 7 * 86_400;

/** --grace: 0, 90s, 15m, 2h, 1d (a bare number is seconds), at most 7 days → seconds. */
export function parseGrace(v: string): number {
  const seconds = durationSeconds(v);
  if (seconds === undefined || seconds > MAX_GRACE_SECONDS) {
    throw new LogharborError("LH_ERR_USAGE", `--grace: expected a duration such as 0, 90s, 15m, 2h or 1d (at most 7d), got "${v}"`);
  }
  return seconds;
}

function tokenState(l: LogJson): string {
  if (l.token === undefined) return "hidden (a read-only key sees no tokens)";
  if (l.token === null) return `revoked ${l.token_revoked_at ?? ""}`.trim();
  return l.previous_token_valid_until ? `active; previous token accepted until ${l.previous_token_valid_until}` : "active";
}

export function registerLogs(program: Command): void {
  const logs = program.command("logs").description("create and list logs, rotate or revoke their ingest tokens");

  withClientOptions(
    logs
      .command("create <name>")
      .description("create a log and print its ingest token")
      .option("-q, --quiet", "print only the token"),
  ).action(async (name: string, opts: { quiet?: boolean; server: string; apiKey?: string }) => {
    const client = clientFrom(opts);
    const { log } = await client.request<{ log: LogJson }>("POST", "/api/v1/logs", { name });
    if (opts.quiet) {
      process.stdout.write(`${log.token}\n`);
      return;
    }
    process.stdout.write(
      [
        `Created log "${log.name}" (id ${log.id}). Its ingest token:`,
        log.token,
        "",
        "Ship this host's journal to it:",
        `  logharbor ship --to ${client.opts.server} --token ${log.token}`,
        "",
      ].join("\n"),
    );
  });

  withClientOptions(
    logs.command("list").description("list logs with their event counts").option("--json", "one JSON object per log"),
  ).action(async (opts: { json?: boolean; server: string; apiKey?: string }) => {
    const { logs: list } = await clientFrom(opts).request<{ logs: LogJson[] }>("GET", "/api/v1/logs");
    if (opts.json) {
      // What the table shows, in fields: the retention in force and the token's state.
      for (const l of list) {
        const state = l.token === null ? "revoked" : l.previous_token_valid_until ? "rotated" : "active";
        process.stdout.write(`${JSON.stringify({ ...l, retention: l.retention ?? "server", token_state: state })}\n`);
      }
      return;
    }
    const rows = list.map((l) => [l.name, String(l.events ?? ""), l.retention ?? "server's", l.id, l.created_at, tokenState(l)]);
    printTable(["NAME", "EVENTS", "RETENTION", "ID", "CREATED", "TOKEN"], rows);
  });

  withClientOptions(
    logs
      .command("retention <name> <retention>")
      .description("set how long a log keeps its events: 12h, 30d, 2w (at least 1h); forever; or default (the server's --retention)"),
  ).action(async (name: string, retention: string, opts: { server: string; apiKey?: string }) => {
    const { log } = await clientFrom(opts).request<{ log: LogJson }>("PUT", `/api/v1/logs/${encodeURIComponent(name)}/retention`, { retention });
    const what = log.retention === undefined ? "follows the server's retention (serve --retention)" : log.retention === "forever" ? "keeps every event" : `keeps events for ${log.retention}; older ones are deleted within a minute`;
    process.stdout.write(`${log.name}: ${what}\n`);
  });

  withClientOptions(
    logs
      .command("rotate <name>")
      .description("give a log a new ingest token and print it; the old one keeps working for the grace period, then is refused")
      .option("--grace <duration>", "how long the old token stays accepted: 0 (refused at once), 90s, 15m, 2h, 1d; at most 7d", "15m")
      .option("-q, --quiet", "print only the new token"),
  ).action(async (name: string, opts: { grace: string; quiet?: boolean; server: string; apiKey?: string }) => {
    const grace = parseGrace(opts.grace);
    const client = clientFrom(opts);
    const { log } = await client.request<{ log: LogJson }>("POST", `/api/v1/logs/${encodeURIComponent(name)}/token/rotate`, { grace_seconds: grace });
    if (opts.quiet) {
      process.stdout.write(`${log.token}\n`);
      return;
    }
    process.stdout.write(
      [
        `New ingest token of log "${log.name}":`,
        log.token,
        "",
        log.previous_token_valid_until
          ? `The previous token is accepted until ${log.previous_token_valid_until}; move every sender to the new one before then.`
          : "The previous token is refused from now on.",
        `Ship with it:  logharbor ship --to ${client.opts.server} --token ${log.token}`,
        "",
      ].join("\n"),
    );
  });

  withClientOptions(
    logs
      .command("revoke <name>")
      .description("refuse a log's ingest tokens at once, on every protocol (`logs rotate` issues a new one)")
      .option("--previous", "refuse only the tokens rotated out and still in their grace period"),
  ).action(async (name: string, opts: { previous?: boolean; server: string; apiKey?: string }) => {
    const body = { previous_only: opts.previous === true };
    const { log } = await clientFrom(opts).request<{ log: LogJson }>("POST", `/api/v1/logs/${encodeURIComponent(name)}/token/revoke`, body);
    process.stdout.write(
      opts.previous
        ? `Log "${log.name}": previous ingest tokens refused from now on; the current token still works.\n`
        : `Log "${log.name}": its ingest token is refused from now on. \`logharbor logs rotate ${log.name}\` issues a new one.\n`,
    );
  });
}
