// Saved queries kept by the server, shared by everyone using it (the page, the CLI, scripts).
// {ref} is a saved query's id or its name. Any key may read; changing needs a read-write key.
//   GET    /api/v1/saved-queries        → {"saved_queries":[{id,name,q,from,to,log,created_at,updated_at}]}
//   GET    /api/v1/saved-queries/{ref}  → {"saved_query":{...}}
//   POST   /api/v1/saved-queries {"name","q","from","to","log"} → 201 {"saved_query":{...}}; 409 when the name is taken
//   PUT    /api/v1/saved-queries/{ref} {"name"?,"q","from","to","log"} → {"saved_query":{...}} (replaces it)
//   DELETE /api/v1/saved-queries/{ref} → 204
// The query must parse, the times must be time expressions (or "" / "all" for an open end) and the
// logs must exist, so a saved query always opens.
import type { SavedQueryJson } from "../../core/api-json.js";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { LogharborError } from "../../core/errors.js";
import { planQuery } from "../query/plan.js";
import type { SavedQuery, SavedQueryInput, Store } from "../storage/store.js";
import { logIdsOf, timeParam } from "./query-params.js";

export const MAX_NAME_CHARS = 100;
export const MAX_QUERY_CHARS = 10_000;
const EXAMPLE = '{"name":"errors on web","q":"where(priority <= err)","from":"-1h","to":"now","log":"web"}';

export function savedQueryJson(s: SavedQuery): SavedQueryJson {
  return {
    id: s.id, name: s.name, q: s.q, from: s.from, to: s.to, log: s.log,
    created_at: new Date(s.createdAt).toISOString(), updated_at: new Date(s.updatedAt).toISOString(),
  };
}

function bad(message: string): LogharborError {
  return new LogharborError("LH_ERR_REQUEST", message);
}

function text(v: unknown, label: string, fallback: string, max: number): string {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "string") throw bad(`${label}: expected a string, got ${JSON.stringify(v)}`);
  if (v.length > max) throw bad(`${label}: expected at most ${max} characters, got ${v.length}`);
  return v;
}

function time(v: unknown, label: string, fallback: string): string {
  const t = text(v, label, fallback, 64).trim();
  if (t === "" || t === "all") return t;
  timeParam(t, label, 0);
  return t;
}

/** The body of a POST or PUT, checked; `current` gives the name when a PUT leaves it out. */
export function savedQueryInput(store: Store, body: unknown, current?: SavedQuery): SavedQueryInput {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw bad(`body: expected a JSON object such as ${EXAMPLE}`);
  }
  const b = body as Record<string, unknown>;
  const name = text(b["name"], "name", current?.name ?? "", MAX_NAME_CHARS).trim();
  if (name === "" || /[\u0000-\u001f\u007f]/.test(name)) {
    throw bad(`name: expected 1 to ${MAX_NAME_CHARS} characters without control characters, got ${JSON.stringify(b["name"] ?? null)}`);
  }
  const q = text(b["q"] ?? b["query"], "q", "", MAX_QUERY_CHARS).trim();
  planQuery(q); // 400 LH_ERR_QUERY_SYNTAX with the column when it does not parse
  const from = time(b["from"], "from", "-1h");
  const to = time(b["to"], "to", "now");
  const rawLog = b["log"];
  const names = Array.isArray(rawLog) ? rawLog : rawLog === undefined || rawLog === null ? [] : typeof rawLog === "string" ? rawLog.split(",") : [rawLog];
  logIdsOf(store, names, "log"); // 404 LH_ERR_LOG_NOT_FOUND naming an unknown log
  const log = names.map((n) => String(n).trim()).filter((n) => n !== "").join(",");
  return { name, q, from, to, log };
}

function savedOf(store: Store, req: FastifyRequest): SavedQuery {
  const ref = (req.params as { ref: string }).ref;
  const s = store.savedQuery(ref);
  if (!s) throw new LogharborError("LH_ERR_NOT_FOUND", `saved query "${ref.slice(0, 100)}": no saved query with this name or id; \`logharbor saved list\` (GET /api/v1/saved-queries) lists them`, { status: 404 });
  return s;
}

export function registerSavedQueryRoutes(app: FastifyInstance, store: Store): void {
  app.get("/api/v1/saved-queries", async () => ({ saved_queries: store.listSavedQueries().map(savedQueryJson) }));

  app.get("/api/v1/saved-queries/:ref", async (req) => ({ saved_query: savedQueryJson(savedOf(store, req)) }));

  app.post("/api/v1/saved-queries", async (req, reply) => {
    const s = store.createSavedQuery(savedQueryInput(store, req.body));
    req.log.info({ savedQueryId: s.id }, "saved a query");
    return reply.status(201).send({ saved_query: savedQueryJson(s) });
  });

  app.put("/api/v1/saved-queries/:ref", async (req) => {
    const cur = savedOf(store, req);
    const s = store.updateSavedQuery(cur.id, savedQueryInput(store, req.body, cur));
    req.log.info({ savedQueryId: s.id }, "updated a saved query");
    return { saved_query: savedQueryJson(s) };
  });

  app.delete("/api/v1/saved-queries/:ref", async (req, reply) => {
    const cur = savedOf(store, req);
    store.deleteSavedQuery(cur.id);
    req.log.info({ savedQueryId: cur.id }, "deleted a saved query");
    return reply.status(204).send();
  });
}
