import type { Command } from "commander";

export function registerUp(program: Command): void {
  program.command("up").description("(not yet implemented)").action(() => {
    throw new Error("up: not implemented yet");
  });
}
