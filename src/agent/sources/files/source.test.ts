import { spawnSync } from "node:child_process";
import { renameSync } from "node:fs";
import { join } from "node:path";
import { FilesSource } from "./source.js";
import { silentLogger } from "../../logger.js";
import { FAST_BACKOFF, sourceContract } from "../../../../test/harness/source-contract.js";

sourceContract("files source", async (dir) => {
  let archived = 0;
  return {
    make: (start, follow, opts) => new FilesSource({ dirs: [dir], start, follow, log: silentLogger(), backoff: FAST_BACKOFF, ...opts }),
    async disrupt() {
      // What journald does when it archives the file being read: renames it (same inode) and
      // writes on into a new file of the same name.
      renameSync(join(dir, "remote.journal"), join(dir, `remote@archived-${++archived}.journal`));
    },
    async recover() {},
    async reference() {
      return spawnSync("journalctl", [`--directory=${dir}`, "--output=export", "--no-pager"], { maxBuffer: 1 << 30 }).stdout;
    },
    async stop() {},
  };
});
