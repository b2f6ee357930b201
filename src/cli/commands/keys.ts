// logharbor keys create [--read-only] [--quiet | --json]: an API key for the query and management API.
// The secret is printed once (the server keeps only its hash).
import type { Command } from "commander";
import type { KeyJson } from "../../core/api-json.js";
import { clientFrom, withClientOptions } from "../client.js";

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("create API keys for the query and management API");

  withClientOptions(
    keys
      .command("create")
      .description("create an API key and print its secret (shown only now)")
      .option("--read-only", "the key may read (query, tail, list) but not change anything")
      .option("-q, --quiet", "print only the secret")
      .option("--json", 'print {"id","secret","read_only"}'),
  ).action(async (opts: { readOnly?: boolean; quiet?: boolean; json?: boolean; server: string; apiKey?: string }) => {
    const client = clientFrom(opts);
    const { key } = await client.request<{ key: KeyJson }>("POST", "/api/v1/keys", { read_only: opts.readOnly === true });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(key)}\n`);
      return;
    }
    if (opts.quiet) {
      process.stdout.write(`${key.secret}\n`);
      return;
    }
    process.stdout.write(
      [
        `Created a ${key.read_only ? "read-only" : "read-write"} API key (id ${key.id}). Its secret, shown only now:`,
        key.secret,
        "",
        "Use it with --api-key SECRET or LOGHARBOR_API_KEY=SECRET, or as the x-api-key header:",
        `  LOGHARBOR_API_KEY=${key.secret} logharbor query 'where(error)' --server ${client.opts.server}`,
        "",
      ].join("\n"),
    );
  });
}
