import type { Command } from "commander";

export function registerServe(program: Command): void {
  program.command("serve").description("(not yet implemented)").action(() => {
    throw new Error("serve: not implemented yet");
  });
}
