// Keeps the demo cluster alive: a few generated entries every second, posted to the server's
// acknowledged batch API with the demo log's token (as an agent would), so that live tail, the
// histogram's last minutes and `logharbor tail` show something after `logharbor up`.
import { encodeExportEntry } from "../core/journal/export-encoder.js";
import { generateEntries } from "./generator.js";

export interface LiveWriter {
  stop(): void;
}

/** Starts writing `perSecond` entries a second; errors (a server stopping) are skipped, not thrown. */
export function startLiveWriter(o: { url: string; token: string; perSecond: number; seed?: number }): LiveWriter {
  let tick = 0;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    tick++;
    const endUs = Date.now() * 1000;
    const body = Buffer.concat(
      [...generateEntries({ count: o.perSecond, endUs, spanUs: 1_000_000, seed: (o.seed ?? 1000) + tick })].map((e) => encodeExportEntry(e)),
    );
    fetch(`${o.url}/api/v1/ingest/journal`, {
      method: "POST",
      headers: { authorization: `Bearer ${o.token}`, "content-type": "application/vnd.fdo.journal" },
      body,
    }).then((r) => r.arrayBuffer(), () => undefined);
  }, 1000);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
