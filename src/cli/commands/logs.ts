import type { Command } from "commander";

export function registerLogs(program: Command): void {
  program.command("logs").description("(not yet implemented)").action(() => {
    throw new Error("logs: not implemented yet");
  });
}
