// The Logentries / InsightOps REST query API, so that scripts written for it work by changing the
// base URL (auth: x-api-key, read-only keys included):
//   GET  /query/logs/{ids}?query=&from=&to=&per_page=      from/to epoch ms, ids comma-separated
//   POST /query/logs/  {"logs":[ids],"leql":{"during":{"from","to"}|{"time_range":"last 2 hours"},"statement"}}
//     → 202 {"id","links":[{"rel":"Self","href":".../query/{id}"}]}
//   GET  /query/{id} → 202 (same) while running, then 200 with the events or statistics shape;
//     events pages carry links [{"rel":"Next"}] to the next page (itself a new 202 query).
//   POST /query/live/logs {"logs":[ids],"leql":{"statement"}} → 200 {"events":[],"links":[{"rel":"Next"}]};
//   GET  /query/live/{id} → 200 {"events":[new since the last poll],"links":[{"rel":"Next"}]}
// Log ids may also be log names.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { LogharborError } from "../../../core/errors.js";
import { planQuery } from "../../query/plan.js";
import type { Store } from "../../storage/store.js";
import type { TailHub } from "../../tail/hub.js";
import type { QueryRunner } from "../query-runner.js";
import { intParam, logIdsOf, stringParam } from "../query-params.js";
import { Jobs } from "./jobs.js";
import { LiveSessions } from "./live.js";
import { resultShape, eventsShape, type Leql } from "./shapes.js";

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 500;
const ALL_EVENTS = "where(/.*/)";

interface LogentriesRoutesOptions {
  store: Store;
  queries: QueryRunner;
  hub: TailHub;
  budgetMs: number;
}

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? "localhost"}`;
}

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/** "last 20 minutes", "last hour", "last 2 days" (Logentries time_range). */
function timeRange(text: string, nowMs: number): { from: number; to: number } {
  const m = /^\s*last\s+(\d+)?\s*(second|minute|hour|day|week)s?\s*$/i.exec(text);
  if (!m) throw new LogharborError("LH_ERR_TIME", `leql.during.time_range: expected "last N minutes|hours|days|weeks", got ${JSON.stringify(text.slice(0, 80))}`);
  return { from: nowMs - Number(m[1] ?? "1") * UNIT_MS[m[2]!.toLowerCase()]!, to: nowMs };
}

function epochMs(v: unknown, label: string): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new LogharborError("LH_ERR_TIME", `${label}: expected epoch milliseconds, got ${JSON.stringify(v)}`);
  return n;
}

export function registerLogentriesRoutes(app: FastifyInstance, opts: LogentriesRoutesOptions): void {
  const { store } = opts;
  const jobs = new Jobs();
  const live = new LiveSessions(opts.hub);
  app.addHook("preClose", async () => live.closeAll());

  const selfLinks = (req: FastifyRequest, id: string) => ({ id, links: [{ rel: "Self", href: `${baseUrl(req)}/query/${id}` }] });

  /** Starts a query job; the Next link of an events page re-runs the GET form with `after`. */
  const start = (req: FastifyRequest, idsText: string, leql: Leql, perPage: number, after: string | undefined) => {
    const logIds = logIdsOf(store, idsText.split(","), "log ids");
    const statement = leql.statement.trim() === "" ? ALL_EVENTS : leql.statement;
    planQuery(statement); // a syntax error answers 400 now, not at poll time
    const base = baseUrl(req);
    return jobs.start(async () => {
      const { result: r } = await opts.queries.run({
        q: statement, from: String(leql.during.from), to: String(leql.during.to), limit: String(perPage),
        ...(after !== undefined ? { after } : {}),
      }, opts.budgetMs, logIds);
      let next: string | undefined;
      if (r.kind === "events" && r.nextPage) {
        const p = new URLSearchParams({ query: statement, from: String(leql.during.from), to: String(leql.during.to), per_page: String(perPage), after: r.nextPage });
        next = `${base}/query/logs/${encodeURIComponent(idsText)}?${p}`;
      }
      return resultShape(r, { during: leql.during, statement }, logIds, next);
    });
  };

  app.get("/query/logs/:ids", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const ids = (req.params as { ids: string }).ids;
    const now = Date.now();
    const from = q["from"] === undefined ? now - 20 * 60_000 : epochMs(q["from"], "from");
    const to = q["to"] === undefined ? now : epochMs(q["to"], "to");
    const statement = stringParam(q["query"], "query") ?? ALL_EVENTS;
    const perPage = intParam(q["per_page"], "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
    const id = start(req, ids, { during: { from, to }, statement }, perPage, stringParam(q["after"], "after"));
    return reply.status(202).send(selfLinks(req, id));
  });

  const postQuery = async (req: FastifyRequest, reply: import("fastify").FastifyReply) => {
    const body = (req.body ?? {}) as { logs?: unknown; leql?: { during?: { from?: unknown; to?: unknown; time_range?: unknown }; statement?: unknown } };
    if (!Array.isArray(body.logs) || body.logs.length === 0) {
      throw new LogharborError("LH_ERR_REQUEST", 'logs: expected a list of log ids, as in {"logs":["..."],"leql":{"during":{"from":...,"to":...},"statement":"..."}}');
    }
    const during = body.leql?.during ?? {};
    const range = typeof during.time_range === "string"
      ? timeRange(during.time_range, Date.now())
      : { from: epochMs(during.from, "leql.during.from"), to: epochMs(during.to, "leql.during.to") };
    const statement = typeof body.leql?.statement === "string" ? body.leql.statement : ALL_EVENTS;
    const perPage = intParam((req.query as Record<string, unknown>)["per_page"], "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
    const id = start(req, (body.logs as unknown[]).map(String).join(","), { during: range, statement }, perPage, undefined);
    return reply.status(202).send(selfLinks(req, id));
  };
  app.post("/query/logs", { config: { readOnly: true } }, postQuery);
  app.post("/query/logs/", { config: { readOnly: true } }, postQuery);

  app.get("/query/:id", async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const job = jobs.get(id);
    if (!job) throw new LogharborError("LH_ERR_NOT_FOUND", `query ${id.slice(0, 80)}: no such query (finished queries are kept ${5} minutes)`, { status: 404 });
    if (job.status === "running") return reply.status(202).send(selfLinks(req, id));
    if (job.status === "failed") throw job.error;
    return job.body;
  });

  const nextLive = (req: FastifyRequest, id: string) => [{ rel: "Next", href: `${baseUrl(req)}/query/live/${id}` }];
  app.post("/query/live/logs", { config: { readOnly: true } }, async (req) => {
    const body = (req.body ?? {}) as { logs?: unknown; leql?: { statement?: unknown } };
    if (!Array.isArray(body.logs) || body.logs.length === 0) {
      throw new LogharborError("LH_ERR_REQUEST", 'logs: expected a list of log ids, as in {"logs":["..."],"leql":{"statement":"where(error)"}}');
    }
    const logIds = logIdsOf(store, body.logs, "logs");
    const statement = typeof body.leql?.statement === "string" && body.leql.statement.trim() !== "" ? body.leql.statement : ALL_EVENTS;
    const plan = planQuery(statement);
    if (plan.stats) throw new LogharborError("LH_ERR_QUERY_PARAM", "leql.statement: live tail takes a where() query only");
    const id = live.open(logIds, plan, statement);
    return { logs: logIds, events: [], links: nextLive(req, id) };
  });
  app.get("/query/live/:id", async (req) => {
    const id = (req.params as { id: string }).id;
    const got = live.poll(id);
    if (!got) throw new LogharborError("LH_ERR_NOT_FOUND", `live query ${id.slice(0, 80)}: no such session (sessions end ${60} s after the last poll)`, { status: 404 });
    const now = Date.now();
    const shape = eventsShape(got.events, { during: { from: now, to: now }, statement: got.statement }, got.logIds, undefined);
    return { ...shape, links: nextLive(req, id) };
  });
}
