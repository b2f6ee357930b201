// GET /api/v1/tail?query=&log=NAME[,NAME] — live tail as Server-Sent Events. The stream starts with
// a ": ready" comment once the subscription is active, then sends each stored event that passes the
// query's where() as `id: <event id>` / `event: event` / `data: <event JSON>`; a ": ping" comment
// every 15 s keeps proxies from closing it. A query with statistics is refused.
import type { FastifyInstance } from "fastify";
import { LogharborError } from "../../core/errors.js";
import { planQuery } from "../query/plan.js";
import type { TailHub } from "../tail/hub.js";
import type { Store } from "../storage/store.js";
import { queryEventJson } from "./query-json.js";
import { logIdsOf, stringParam } from "./query-params.js";

export const HEARTBEAT_MS = 15_000;

export function registerTailRoutes(app: FastifyInstance, store: Store, hub: TailHub): void {
  const open = new Set<() => void>();
  // Open streams would keep the server from closing: end them first.
  app.addHook("preClose", async () => {
    for (const end of [...open]) end();
  });

  app.get("/api/v1/tail", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const text = stringParam(q["query"], "query") ?? stringParam(q["q"], "q") ?? "";
    const plan = planQuery(text);
    if (plan.stats) {
      throw new LogharborError("LH_ERR_QUERY_PARAM", "query: live tail takes a where() query only; groupby, calculate and timeslice need `logharbor query`");
    }
    const logIds = logIdsOf(store, q["log"]);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const unsubscribe = hub.subscribe({ logIds, plan }, (events) => {
      let chunk = "";
      for (const e of events) chunk += `id: ${e.id}\nevent: event\ndata: ${JSON.stringify(queryEventJson(e))}\n\n`;
      res.write(chunk);
    });
    const ping = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
    ping.unref();
    const end = () => {
      clearInterval(ping);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    res.on("close", end);
    res.write("retry: 2000\n: ready\n\n");
    req.log.info({ logs: logIds.length, tails: hub.size }, "live tail started");
  });
}
