// logharbor keys create [--read-only | --admin] [--name NAME] [--expires 30d|TIME] [--quiet | --json]
// logharbor keys list [--json] | logharbor keys revoke ID|NAME | logharbor keys rotate ID|NAME [--quiet | --json]
// API keys for the query and management API; managing them takes an admin key (DATA_DIR/admin-api-key).
// A secret is printed once, when made (the server keeps only its hash); `list` never shows one.
import type { Command } from "commander";
import type { KeyInfoJson, KeyJson } from "../../core/api-json.js";
import { clientFrom, withClientOptions, type Client } from "../client.js";
import { printTable } from "../output/table.js";

type Out = { quiet?: boolean; json?: boolean };

function printSecret(key: KeyJson, opts: Out, client: Client, what: string): void {
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
      `${what} ${key.role} API key (id ${key.id}). Its secret, shown only now:`,
      key.secret,
      `Name: ${key.name}; expires: ${key.expires_at ?? "never"}.`,
      "",
      "Use it with --api-key SECRET or LOGHARBOR_API_KEY=SECRET, or as the x-api-key header:",
      `  LOGHARBOR_API_KEY=${key.secret} logharbor query 'where(error)' --server ${client.opts.server}`,
      "",
    ].join("\n"),
  );
}

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("create, list, revoke and rotate API keys for the query and management API (needs an admin key)");

  withClientOptions(
    keys
      .command("create")
      .description("create an API key and print its secret (shown only now)")
      .option("--read-only", "the key may read (query, tail, list) but not change anything, nor see ingest tokens")
      .option("--admin", "the key may also manage API keys")
      .option("--name <name>", "a name to tell the key by (1-64 of A-Z a-z 0-9 . _ -); default key-<id>")
      .option("--expires <when>", "refuse the key after this: a duration from now (30d, 12h, 2w) or a time (ISO-8601)")
      .option("-q, --quiet", "print only the secret")
      .option("--json", 'print {"id","name","role","secret",...}'),
  ).action(async (opts: Out & { readOnly?: boolean; admin?: boolean; name?: string; expires?: string; server: string; apiKey?: string }) => {
    const client = clientFrom(opts);
    const body: Record<string, unknown> = { read_only: opts.readOnly === true };
    if (opts.admin) body["admin"] = true;
    if (opts.name !== undefined) body["name"] = opts.name;
    if (opts.expires !== undefined) body["expires"] = opts.expires;
    const { key } = await client.request<{ key: KeyJson }>("POST", "/api/v1/keys", body);
    printSecret(key, opts, client, "Created a");
  });

  withClientOptions(
    keys.command("list").description("list the API keys (never their secrets): role, expiry, last use, revocation").option("--json", "one JSON object per key"),
  ).action(async (opts: { json?: boolean; server: string; apiKey?: string }) => {
    const { keys: list } = await clientFrom(opts).request<{ keys: KeyInfoJson[] }>("GET", "/api/v1/keys");
    if (opts.json) {
      for (const k of list) process.stdout.write(`${JSON.stringify(k)}\n`);
      return;
    }
    const state = (k: KeyInfoJson) => (k.revoked_at ? `revoked ${k.revoked_at}` : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? "expired" : "active");
    printTable(
      ["NAME", "ROLE", "ID", "CREATED", "EXPIRES", "LAST USED", "STATE"],
      list.map((k) => [k.name, k.role, k.id, k.created_at, k.expires_at ?? "never", k.last_used_at ?? "never", state(k)]),
    );
  });

  withClientOptions(
    keys.command("revoke <key>").description("refuse an API key (by id or name) from now on"),
  ).action(async (ref: string, opts: { server: string; apiKey?: string }) => {
    const { key } = await clientFrom(opts).request<{ key: KeyInfoJson }>("POST", `/api/v1/keys/${encodeURIComponent(ref)}/revoke`, {});
    process.stdout.write(`Revoked API key "${key.name}" (id ${key.id}): it is refused from now on.\n`);
  });

  withClientOptions(
    keys
      .command("rotate <key>")
      .description("give an API key (by id or name) a new secret; the old one is refused at once (rotating the admin key also rewrites DATA_DIR/admin-api-key)")
      .option("-q, --quiet", "print only the new secret")
      .option("--json", "print the key with its new secret as JSON"),
  ).action(async (ref: string, opts: Out & { server: string; apiKey?: string }) => {
    const client = clientFrom(opts);
    const { key } = await client.request<{ key: KeyJson }>("POST", `/api/v1/keys/${encodeURIComponent(ref)}/rotate`, {});
    printSecret(key, opts, client, "Rotated the");
  });
}
