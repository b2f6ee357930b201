import { spawnSync } from "node:child_process";
import { JournalctlSource } from "./source.js";
import { silentLogger } from "../../logger.js";
import { FAST_BACKOFF, sourceContract } from "../../../../test/harness/source-contract.js";

sourceContract("journalctl source", async (dir) => {
  const pids: number[] = [];
  return {
    make: (start, follow, opts) =>
      new JournalctlSource({ directory: dir }, { start, follow, log: silentLogger(), backoff: FAST_BACKOFF, onSpawn: (pid) => pids.push(pid), ...opts }),
    async disrupt() {
      // Kill the journalctl this test's source started (by its pid) while it is writing.
      process.kill(pids[pids.length - 1]!, "SIGKILL");
    },
    async recover() {},
    async reference() {
      return spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 }).stdout;
    },
    async stop() {},
  };
});
