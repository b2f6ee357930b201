// logharbor <command>. Each command lives in src/cli/commands/<name>.ts and registers itself here.
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage.
import { Command, CommanderError } from "commander";
import { isLogharborError } from "../core/errors.js";
import { registerServe } from "./commands/serve.js";
import { registerShip } from "./commands/ship.js";
import { registerQuery } from "./commands/query.js";
import { registerTail } from "./commands/tail.js";
import { registerLogs } from "./commands/logs.js";
import { registerUp } from "./commands/up.js";
import { VERSION } from "../core/version.js";

const program = new Command("logharbor")
  .description("Centralize the systemd journal of every host: ship it, store it, search it.")
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

registerServe(program);
registerShip(program);
registerQuery(program);
registerTail(program);
registerLogs(program);
registerUp(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (isLogharborError(e)) {
    process.stderr.write(`logharbor: ${e.message}\n`);
    process.exit(e.code === "LH_ERR_USAGE" || e.code === "LH_ERR_JOURNAL_SPEC" || e.code === "LH_ERR_DESTINATION" || e.code === "LH_ERR_CONFIG" || e.code === "LH_ERR_QUERY_SYNTAX" || e.code === "LH_ERR_QUERY_FIELD" || e.code === "LH_ERR_QUERY_PARAM" || e.code === "LH_ERR_TIME" ? 2 : 1);
  }
  process.stderr.write(`logharbor: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
}
