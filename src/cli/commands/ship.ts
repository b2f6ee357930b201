import type { Command } from "commander";

export function registerShip(program: Command): void {
  program.command("ship").description("(not yet implemented)").action(() => {
    throw new Error("ship: not implemented yet");
  });
}
