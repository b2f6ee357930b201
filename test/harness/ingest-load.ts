// A steady flood of journal entries into a server's acked batch API (POST /api/v1/ingest/journal),
// as fast as the server stores them (or at a target rate): the load under which the web page's live
// tail must stay responsive (test/e2e/web-tail-load.test.ts, bench/web.ts).
import { setTimeout as sleep } from "node:timers/promises";
import { encodeExportEntry } from "../../src/core/journal/export-encoder.js";

export interface IngestLoad {
  /** Entries the server has acknowledged so far. */
  sent(): number;
  /** Stops after the batches in flight; resolves with what was acknowledged and over how long. */
  stop(): Promise<{ entries: number; ms: number }>;
  /** The first failure, if a batch was refused (the load stops then). */
  error(): Error | undefined;
}

const UNITS = ["nginx.service", "api.service", "db.service", "worker.service"];

export interface IngestLoadOptions {
  /** Entries per batch (default 2000). */
  batch?: number;
  /** Batches posted at once (default 2). */
  inFlight?: number;
  /** Keep to about this many entries/s; default: as fast as the server acknowledges. */
  ratePerSec?: number;
  /** The first word of every message (default "load"). */
  message?: string;
  /**
   * Encode this many batches before the first post, so that making the load costs nothing while it
   * runs (a bench sharing its process with the server); the load ends when they are all sent.
   */
  prebuilt?: number;
}

/**
 * Posts batches of `batch` entries, `inFlight` at a time, until stopped. Every entry is new (its own
 * boot id + monotonic time), so none is deduplicated away; each batch is stamped with the time it is made.
 */
export function startIngestLoad(url: string, token: string, opts: IngestLoadOptions = {}): IngestLoad {
  const batch = opts.batch ?? 2000;
  const inFlight = opts.inFlight ?? 2;
  const boot = Array.from({ length: 32 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
  let next = 0;
  let acked = 0;
  let stopped = false;
  let failure: Error | undefined;

  const make = (): Buffer => {
    const parts: Buffer[] = [];
    const nowUs = Date.now() * 1000;
    for (let i = 0; i < batch; i++) {
      const n = next++;
      parts.push(encodeExportEntry([
        ["__REALTIME_TIMESTAMP", String(nowUs + i)],
        ["__MONOTONIC_TIMESTAMP", String(1_000_000 + n)],
        ["_BOOT_ID", boot],
        ["_HOSTNAME", `load-${n % 8}`],
        ["_SYSTEMD_UNIT", UNITS[n % UNITS.length]!],
        ["PRIORITY", String(n % 8)],
        ["MESSAGE", `${opts.message ?? "load"} entry ${n} GET /api/items/${n % 977} status=${n % 7 === 0 ? 503 : 200} ms=${n % 113}`],
      ]));
    }
    return Buffer.concat(parts);
  };
  const ready = opts.prebuilt !== undefined ? Array.from({ length: opts.prebuilt }, make) : undefined;
  const body = (): Buffer | undefined => (ready ? ready.shift() : make());
  const t0 = performance.now();
  let issued = 0;

  const lane = async () => {
    while (!stopped && !failure) {
      if (opts.ratePerSec) {
        // Keep to the rate on average: this batch is due when the ones before it have had their time.
        const due = t0 + (issued * 1000) / opts.ratePerSec - performance.now();
        issued += batch;
        if (due > 0) await sleep(due);
        if (stopped) break;
      }
      const b = body();
      if (b === undefined) break;
      const res = await fetch(`${url}/api/v1/ingest/journal`, {
        method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.fdo.journal" }, body: b,
      }).catch((e: Error) => e);
      if (res instanceof Error) {
        failure = res;
        break;
      }
      const text = await res.text();
      if (res.status === 503) {
        ready?.unshift(b);
        await sleep(50);
        continue;
      }
      if (res.status !== 200) {
        failure = new Error(`ingest answered ${res.status}: ${text.slice(0, 200)}`);
        break;
      }
      acked += batch;
    }
  };
  const lanes = Array.from({ length: inFlight }, () => lane());

  return {
    sent: () => acked,
    error: () => failure,
    async stop() {
      stopped = true;
      await Promise.all(lanes);
      return { entries: acked, ms: performance.now() - t0 };
    },
  };
}
