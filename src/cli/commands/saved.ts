// logharbor saved list [--json]: the queries saved on the server (by the web page or the API), with
// their time range and logs; run one with `logharbor query --saved NAME`.
import type { Command } from "commander";
import type { SavedQueryJson } from "../../core/api-json.js";
import { clientFrom, withClientOptions } from "../client.js";
import { printTable } from "../output/table.js";

export function registerSaved(program: Command): void {
  const saved = program.command("saved").description("queries saved on the server; run one with logharbor query --saved NAME");
  withClientOptions(saved.command("list").description("list the saved queries").option("--json", "one JSON object per saved query")).action(
    async (opts: { json?: boolean; server: string; apiKey?: string }) => {
      const { saved_queries: list } = await clientFrom(opts).request<{ saved_queries: SavedQueryJson[] }>("GET", "/api/v1/saved-queries");
      if (opts.json) {
        for (const s of list) process.stdout.write(`${JSON.stringify(s)}\n`);
        return;
      }
      printTable(["name", "query", "from", "to", "logs"], list.map((s) => [s.name, s.q || "(everything)", s.from || "all", s.to || "now", s.log || "all"]));
    },
  );
}
