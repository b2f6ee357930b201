// SIGTERM / SIGINT for a running agent: the first stops reading and lets the disk buffer drain
// (stop()), a second exits at once (what was not acknowledged is read again on the next start).
import type { Logger } from "./logger.js";

export function onStopSignals(log: Logger, stop: () => void): void {
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      log.warn({ signal: sig }, "second signal: exiting at once; unacknowledged entries will be read again");
      process.exit(1);
    }
    log.info({ signal: sig }, "stopping: no more reading; what was read is in the disk buffer, sending it for 5 s at most");
    stop();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
