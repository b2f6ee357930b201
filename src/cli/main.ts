// logharbor <command>. Each command lives in src/cli/commands/<name>.ts and registers itself here.
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage.
import { Command, CommanderError } from "commander";
import { isLogharborError, type ErrorCode } from "../core/errors.js";
import { registerServe } from "./commands/serve.js";
import { registerShip } from "./commands/ship.js";
import { registerQuery } from "./commands/query.js";
import { registerTail } from "./commands/tail.js";
import { registerLogs } from "./commands/logs.js";
import { registerKeys } from "./commands/keys.js";
import { registerUp } from "./commands/up.js";
import { registerCluster } from "./commands/cluster.js";
import { registerFields } from "./commands/fields.js";
import { registerSaved } from "./commands/saved.js";
import { registerAlerts } from "./commands/alerts.js";
import { registerHosts } from "./commands/hosts.js";
import { VERSION } from "../core/version.js";
import { exitQuietlyOnClosedPipe } from "./output/terminal.js";

/** Errors in what the user typed: exit code 2. Everything else that fails: 1. */
const USAGE_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "LH_ERR_USAGE", "LH_ERR_JOURNAL_SPEC", "LH_ERR_DESTINATION", "LH_ERR_CONFIG",
  "LH_ERR_QUERY_SYNTAX", "LH_ERR_QUERY_FIELD", "LH_ERR_QUERY_PARAM", "LH_ERR_TIME", "LH_ERR_LOG_NOT_FOUND",
]);

// `logharbor query | head`: the reader left; stop without a stack trace.
exitQuietlyOnClosedPipe();

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
registerKeys(program);
registerUp(program);
registerCluster(program);
registerFields(program);
registerSaved(program);
registerAlerts(program);
registerHosts(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (isLogharborError(e)) {
    process.stderr.write(`logharbor: ${e.message}\n`);
    process.exit(USAGE_ERRORS.has(e.code) ? 2 : 1);
  }
  process.stderr.write(`logharbor: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
}
