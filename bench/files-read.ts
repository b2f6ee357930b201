// The files source alone: the whole journal of a directory read through FilesSource (no follow),
// every entry built in journalctl's export form, counted and dropped. Beside step a (journalctl -o
// export > /dev/null) it tells whether reading the files ourselves keeps up with journalctl.
// Prints {"entries":N,"bytes":B,"seconds":S}.
//   node dist/bench/files-read.js DIR
import { performance } from "node:perf_hooks";
import { silentLogger } from "../src/agent/logger.js";
import { FilesSource } from "../src/agent/sources/files/source.js";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: node dist/bench/files-read.js DIR\n");
  process.exit(2);
}
const t0 = performance.now();
const source = new FilesSource({ dirs: [dir], start: { kind: "oldest" }, follow: false, log: silentLogger() });
let entries = 0;
let bytes = 0;
for await (const chunk of source.read()) {
  entries += chunk.length;
  for (const e of chunk) bytes += e.raw.length;
}
process.stdout.write(`${JSON.stringify({ entries, bytes, seconds: (performance.now() - t0) / 1000 })}\n`);
