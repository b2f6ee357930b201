import type { Command } from "commander";

export function registerQuery(program: Command): void {
  program.command("query").description("(not yet implemented)").action(() => {
    throw new Error("query: not implemented yet");
  });
}
