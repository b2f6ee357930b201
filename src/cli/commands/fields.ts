// logharbor fields [NAME] [--from -1h] [--to now] [--log NAME] [--json]: the field names of the newest
// entries (journal fields, fields parsed from messages, their short names), or with NAME the field's
// most frequent values — what to put in a query. From a sample of the newest 1,000 entries.
import type { Command } from "commander";
import type { FieldJson } from "../../core/api-json.js";
import { clientFrom, withClientOptions } from "../client.js";
import { printTable } from "../output/table.js";

interface FieldsOpts {
  from: string;
  to: string;
  log?: string;
  limit: string;
  json?: boolean;
  server: string;
  apiKey?: string;
}

export function registerFields(program: Command): void {
  withClientOptions(
    program
      .command("fields [name]")
      .description("list the field names of recent entries, or a field's most frequent values: logharbor fields status")
      .option("--from <time>", "start of the range sampled", "-1d")
      .option("--to <time>", "end of the range sampled", "now")
      .option("--log <names>", "comma-separated log names (default: all logs)")
      .option("--limit <n>", "values shown with NAME", "20")
      .option("--json", "the server's answer as JSON"),
  ).action(async (name: string | undefined, opts: FieldsOpts) => {
    const client = clientFrom(opts);
    const params = new URLSearchParams({ from: opts.from, to: opts.to });
    if (opts.log) params.set("log", opts.log);
    if (name === undefined) {
      const a = await client.request<{ fields: FieldJson[]; sampled: number }>("GET", `/api/v1/fields?${params}`);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(a)}\n`);
      printTable(["field", "short name", "from", "entries"], a.fields.map((f) => [f.name, f.alias ?? "", f.source, String(f.count)]));
      process.stderr.write(`logharbor: fields of the newest ${a.sampled} entries; \`logharbor fields NAME\` shows a field's values\n`);
      return;
    }
    params.set("limit", opts.limit);
    const a = await client.request<{ field: string; values: Array<{ value: string | number; count: number }>; sampled: number }>(
      "GET", `/api/v1/fields/${encodeURIComponent(name)}/values?${params}`,
    );
    if (opts.json) return void process.stdout.write(`${JSON.stringify(a)}\n`);
    printTable(["value", "entries"], a.values.map((v) => [String(v.value), String(v.count)]));
    if (a.values.length === 0) process.stderr.write(`logharbor: none of the newest ${a.sampled} entries has the field ${name}; \`logharbor fields\` lists the fields\n`);
  });
}
