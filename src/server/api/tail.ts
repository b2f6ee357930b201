// GET /api/v1/tail?query=&log=NAME[,NAME]&max_rate=N — live tail as Server-Sent Events. The stream
// starts with a ": ready" comment once the subscription is active, then sends each stored event that
// passes the query's where() as `id: <event id>` / `event: event` / `data: <event JSON>`; a ": ping"
// comment every 15 s keeps proxies from closing it. A query with statistics is refused.
// With max_rate (events/s), the server samples: when more than max_rate events matched over the last
// second, it sends one in N (N = ceil(rate / max_rate)) and every second says so with
// `event: stats` / `data: {"rate":R,"sampling":N}` (R: events that matched per second, all counted).
// A reader that shows a flood (the web page) then never receives, nor costs the server, more than it
// can show; without max_rate every matching event is sent (logharbor tail).
// Backpressure: a reader that does not keep up (or stops reading) never makes the server buffer
// without bound. While more than MAX_BUFFERED_BYTES wait in its connection, events for it are
// dropped and counted; once it has drained, it gets `event: dropped` / `data: {"dropped":N}` and
// the events from then on. Memory per tail stays about MAX_BUFFERED_BYTES whatever the ingest rate.
// Resuming: a reader that lost the stream reconnects with `Last-Event-ID: <id>` (the header browsers'
// EventSource send, or ?last_event_id=): the stream then starts with the matching events stored since
// that one (storedSince in tail/hub.ts: at most 5,000, the newest) and says how many with
// `event: resumed` / `data: {"resumed":N,"skipped":S}` before going on live; none is sent twice.
import type { FastifyInstance } from "fastify";
import { performance } from "node:perf_hooks";
import { LogharborError } from "../../core/errors.js";
import { planQuery } from "../query/plan.js";
import { storedSince, type TailHub } from "../tail/hub.js";
import { applyLogField } from "./log-field.js";
import { nowUs } from "../../core/time.js";
import type { Store } from "../storage/store.js";
import { queryEventJson } from "./query-json.js";
import { intParam, logIdsOf, stringParam } from "./query-params.js";

export const HEARTBEAT_MS = 15_000;
export const STATS_MS = 1000;
/** What may wait in one tail's connection before its events are dropped (with a notice). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

export function registerTailRoutes(app: FastifyInstance, store: Store, hub: TailHub): void {
  const open = new Set<() => void>();
  // Open streams would keep the server from closing: end them first.
  app.addHook("preClose", async () => {
    for (const end of [...open]) end();
  });

  app.get("/api/v1/tail", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const text = stringParam(q["query"], "query") ?? stringParam(q["q"], "q") ?? "";
    const planned = planQuery(text);
    if (planned.stats) {
      throw new LogharborError("LH_ERR_QUERY_PARAM", "query: live tail takes a where() query only; groupby, calculate and timeslice need `logharbor query`");
    }
    const { plan, logIds } = applyLogField(store, planned, logIdsOf(store, q["log"]));
    const maxRate = q["max_rate"] === undefined ? undefined : intParam(q["max_rate"], "max_rate", 0, 1, 1_000_000);
    const lastHeader = req.headers["last-event-id"];
    const lastRaw = q["last_event_id"] ?? (typeof lastHeader === "string" && lastHeader !== "" ? lastHeader : undefined);
    const lastId = lastRaw === undefined ? undefined : intParam(lastRaw, "last_event_id", 0, 0, Number.MAX_SAFE_INTEGER);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // Sampling state (max_rate): events matched in this window, 1 in `sampling` sent.
    let matched = 0;
    let seen = 0;
    let sampling = 1;
    let windowStart = performance.now();
    // Backpressure: events dropped since the reader fell behind, told once it has drained.
    let dropped = 0;
    const full = () => res.writableLength >= MAX_BUFFERED_BYTES;
    res.on("drain", () => {
      if (dropped === 0 || res.writableEnded) return;
      res.write(`event: dropped\ndata: {"dropped":${dropped}}\n\n`);
      dropped = 0;
    });
    // Resuming: events the backlog below already sent are not sent again by the live feed.
    let resent: Set<number> | undefined;
    const unsubscribe = hub.subscribe({ logIds, plan }, (events) => {
      let chunk = "";
      matched += events.length;
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (resent?.has(e.id)) continue;
        if (sampling > 1 && seen++ % sampling !== 0) continue;
        if (dropped > 0 || res.writableLength + chunk.length >= MAX_BUFFERED_BYTES) {
          // Behind: keep dropping until the connection drains (the notice says how many).
          if (chunk !== "") res.write(chunk);
          chunk = "";
          dropped += events.length - i;
          break;
        }
        chunk += `id: ${e.id}\nevent: event\ndata: ${JSON.stringify(queryEventJson(e))}\n\n`;
      }
      if (chunk !== "") res.write(chunk);
    });
    const ping = setInterval(() => {
      if (!full()) res.write(": ping\n\n");
    }, HEARTBEAT_MS);
    ping.unref();
    const stats =
      maxRate === undefined
        ? undefined
        : setInterval(() => {
            const now = performance.now();
            const rate = Math.round((matched * 1000) / Math.max(1, now - windowStart));
            matched = 0;
            windowStart = now;
            sampling = rate > maxRate ? Math.ceil(rate / maxRate) : 1;
            if (!full()) res.write(`event: stats\ndata: {"rate":${rate},"sampling":${sampling}}\n\n`);
          }, STATS_MS);
    stats?.unref();
    const end = () => {
      clearInterval(ping);
      if (stats) clearInterval(stats);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    res.on("close", end);
    if (lastId !== undefined) {
      const back = storedSince(store, lastId, { logIds, plan }, nowUs());
      resent = new Set(back.events.map((e) => e.id));
      let chunk = "";
      for (const e of back.events) chunk += `id: ${e.id}\nevent: event\ndata: ${JSON.stringify(queryEventJson(e))}\n\n`;
      res.write(`${chunk}event: resumed\ndata: {"resumed":${back.events.length},"skipped":${back.skipped}}\n\n`);
    }
    res.write("retry: 2000\n: ready\n\n");
    req.log.info({ logs: logIds.length, tails: hub.size }, "live tail started");
  });
}
