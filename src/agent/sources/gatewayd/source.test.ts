import { unlinkSync } from "node:fs";
import { GatewaydSource } from "./source.js";
import { getEntries } from "./request.js";
import { silentLogger } from "../../logger.js";
import { startGatewayd, type Gatewayd } from "../../../../test/harness/journal.js";
import { FAST_BACKOFF, sourceContract } from "../../../../test/harness/source-contract.js";

sourceContract("gatewayd source", async (dir) => {
  let gw: Gatewayd = await startGatewayd(dir);
  const socket = gw.socket;
  return {
    make: (start, follow, opts) => new GatewaydSource({ socketPath: socket }, { start, follow, log: silentLogger(), backoff: FAST_BACKOFF, ...opts }),
    async disrupt() {
      await gw.stop();
      unlinkSync(socket);
    },
    async recover() {
      gw = await startGatewayd(dir, socket);
    },
    async reference() {
      const res = await getEntries({ socketPath: socket }, { signal: new AbortController().signal });
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    stop: () => gw.stop(),
  };
});
