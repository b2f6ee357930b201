// Following the live tail (logharbor tail, logharbor query -f) across server restarts and network
// cuts: when the stream ends or breaks, reconnect with a growing delay (0.25 s doubling to 10 s) and
// resume after the last event received (Last-Event-ID; the server first sends what was stored
// meanwhile), saying so on stderr. Stops when `signal` aborts. An error the server gives when the
// stream is opened (a bad query, an unknown log: 4xx) is not retried: it is thrown.
import { LogharborError } from "../core/errors.js";
import type { EventJson } from "../core/api-json.js";
import type { Client } from "./client.js";
import { readSse } from "./sse.js";

export const FIRST_RETRY_MS = 250;
export const MAX_RETRY_MS = 10_000;

export interface FollowOptions {
  /** Query string of GET /api/v1/tail (query, log). */
  params: URLSearchParams;
  signal: AbortSignal;
  /** Start after this event (the last one a backlog printed). */
  lastId?: number;
  onEvent(e: EventJson, raw: string): void;
  /** What to say on stderr (reconnecting, resumed). */
  say(line: string): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}

function retryable(e: unknown): boolean {
  if (!(e instanceof LogharborError)) return true;
  return e.code === "LH_ERR_SERVER" || e.code === "LH_ERR_OVERLOADED" || e.status >= 500;
}

export async function follow(client: Client, o: FollowOptions): Promise<void> {
  let lastId = o.lastId;
  let delay = FIRST_RETRY_MS;
  let lostAt: number | undefined;
  while (!o.signal.aborted) {
    const params = new URLSearchParams(o.params);
    if (lastId !== undefined) params.set("last_event_id", String(lastId));
    try {
      const res = await client.stream(`/api/v1/tail?${params}`, o.signal);
      for await (const item of readSse(res.body!)) {
        if (item.kind === "comment") {
          if (item.text === "ready" && lostAt !== undefined) {
            o.say(`reconnected to ${client.opts.server} after ${((Date.now() - lostAt) / 1000).toFixed(1)} s`);
            lostAt = undefined;
          }
          delay = FIRST_RETRY_MS;
          continue;
        }
        if (item.event === "resumed") {
          const r = JSON.parse(item.data) as { resumed: number; skipped: number };
          if (lostAt !== undefined || r.resumed > 0) {
            o.say(`${r.resumed} entries stored while disconnected${r.skipped > 0 ? ` (${r.skipped} older ones not shown)` : ""}`);
          }
          continue;
        }
        if (item.event === "dropped") {
          // The server dropped events while this reader was behind (it never buffers without bound).
          const n = (JSON.parse(item.data) as { dropped?: number }).dropped ?? 0;
          o.say(`the server dropped ${n} events while this terminal was behind`);
          continue;
        }
        if (item.event !== "event") continue;
        const e = JSON.parse(item.data) as EventJson;
        lastId = e.id;
        o.onEvent(e, item.data);
      }
      if (o.signal.aborted) return;
      lostAt ??= Date.now();
      o.say(`the server at ${client.opts.server} ended the stream (restarting?); reconnecting…`);
    } catch (e) {
      if (o.signal.aborted) return;
      if (!retryable(e)) throw e;
      if (lostAt === undefined) {
        lostAt = Date.now();
        o.say(`lost the live tail (${(e as Error).message}); reconnecting…`);
      }
    }
    await sleep(delay, o.signal);
    delay = Math.min(MAX_RETRY_MS, delay * 2);
  }
}
