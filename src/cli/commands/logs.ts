// logharbor logs create NAME [--quiet] | logharbor logs list [--json]
import type { Command } from "commander";
import { clientFrom, withClientOptions } from "../client.js";
import { printTable } from "../output/table.js";

interface LogJson {
  id: string;
  name: string;
  token: string;
  created_at: string;
  events?: number;
}

export function registerLogs(program: Command): void {
  const logs = program.command("logs").description("create and list logs (each log has its own ingest token)");

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
      for (const l of list) process.stdout.write(`${JSON.stringify(l)}\n`);
      return;
    }
    const rows = list.map((l) => [l.name, String(l.events ?? ""), l.id, l.created_at]);
    printTable(["NAME", "EVENTS", "ID", "CREATED"], rows);
  });
}
